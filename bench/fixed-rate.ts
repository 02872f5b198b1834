import autocannon from 'autocannon';

export interface LoadRequest {
  path: string;
  body: string;
  /** Added to the run's headers. */
  headers?: Record<string, string>;
}

export interface LoadOptions {
  url: string;
  /** Requests a second, evenly spaced. */
  rate: number;
  seconds: number;
  headers: Record<string, string>;
  /** Called once per request: each request may carry its own path (a single-use token) and body. */
  next: () => LoadRequest;
}

export interface LoadResult {
  /** Milliseconds per answered request, from our own sample (autocannon's histogram is in whole ms). */
  latencies: number[];
  ok: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** How long the load took, less the lanes' staggered starts: `seconds` when the server kept up. */
  seconds: number;
}

export interface LoadSummary extends Omit<LoadResult, 'latencies'> {
  requests: number;
  /** Requests a second actually sent and answered. */
  rate: number;
  p50: number;
  p99: number;
  max: number;
}

/** The nearest-rank percentile of an ascending list. */
export const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

/** autocannon instances a load runs as; each costs some milliseconds of its own to set up and end. */
const LANES = 10;

/**
 * POSTs at a fixed rate with autocannon, spread over the second. autocannon paces a connection by
 * sending its quota for the second back to back, and all connections of one instance share the
 * second's start, so one instance at 500/s is a burst at each second's start rather than a rate. The
 * load therefore runs as lanes, one connection each at rate/lanes a second, their starts staggered
 * over the second: at 500/s, ten lanes of 50 requests a second, one starting every 100 ms. How many
 * are in flight at once then follows from how long answers take, as it does when people post on their
 * own; a server that cannot keep up makes the load take longer (`seconds`) rather than drop requests.
 */
export async function fixedRate(options: LoadOptions): Promise<LoadResult> {
  const lanes = Math.min(LANES, options.rate);
  const spacingMs = 1000 / lanes;
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: lanes }, (_, i) =>
      new Promise<void>((resolve) => setTimeout(resolve, i * spacingMs)).then(() =>
        lane(options, Math.floor(options.rate / lanes) + (i < options.rate % lanes ? 1 : 0)),
      ),
    ),
  );
  return {
    latencies: results.flatMap((result) => result.latencies),
    ok: sum(results, 'ok'),
    non2xx: sum(results, 'non2xx'),
    errors: sum(results, 'errors'),
    statusCodes: mergeCodes(results),
    seconds: (performance.now() - started - (lanes - 1) * spacingMs) / 1000,
  };
}

/** One autocannon instance with one connection, `rate` requests a second for the load's seconds. */
function lane(options: LoadOptions, rate: number): Promise<Omit<LoadResult, 'seconds'>> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: 1,
        connectionRate: rate,
        // A number of requests rather than a duration: the run ends once every answer is in, so none is
        // left in flight (stored rows then match the successful requests exactly).
        amount: rate * options.seconds,
        // Every response's own time is kept below; autocannon's correction assumes whole-ms intervals.
        ignoreCoordinatedOmission: true,
        // The counts are all this needs.
        skipAggregateResult: true,
        timeout: 10,
        method: 'POST',
        headers: options.headers,
        requests: [
          {
            setupRequest: (request) => {
              const next = options.next();
              return { ...request, ...next, headers: { ...options.headers, ...next.headers } };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          latencies,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          statusCodes: Object.fromEntries(
            Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]),
          ),
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

const sum = (results: Omit<LoadResult, 'seconds'>[], key: 'ok' | 'non2xx' | 'errors') =>
  results.reduce((total, result) => total + result[key], 0);

function mergeCodes(results: Omit<LoadResult, 'seconds'>[]): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const result of results)
    for (const [code, count] of Object.entries(result.statusCodes)) codes[code] = (codes[code] ?? 0) + count;
  return codes;
}

/** Several runs against the same target as one: counts added, percentiles over every response. */
export function summarize(results: LoadResult[]): LoadSummary {
  const sorted = results.flatMap((result) => result.latencies).sort((a, b) => a - b);
  const requests = sorted.length + sum(results, 'errors');
  const seconds = results.reduce((total, result) => total + result.seconds, 0);
  return {
    requests,
    rate: Math.round(requests / seconds),
    seconds: Math.round(seconds * 10) / 10,
    ok: sum(results, 'ok'),
    non2xx: sum(results, 'non2xx'),
    errors: sum(results, 'errors'),
    statusCodes: mergeCodes(results),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}
