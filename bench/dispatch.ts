import { DEFAULTS, DispatchRun, runLuotsi, runRaw } from './dispatch-runs';
import { BenchContext, meets, PathResult } from './kit';

/** The paths this module measures, as `--only` names them. */
export const DISPATCH_PATHS = ['dispatch', 'growth', 'memory', 'scale-out'] as const;
export type DispatchPath = (typeof DISPATCH_PATHS)[number];

const SMALL = 2000;
const LARGE = 8000;
/**
 * Each one-worker fan-out runs this many times, raw and Luotsi in turn, and the fastest run of each
 * counts: other work on a shared machine only ever adds time, so the minimum is the least disturbed.
 */
const ROUNDS = 2;
/**
 * Scale-out is also measured where a provider's answer takes time, as it does on the internet: each
 * message is accepted after this long. The one-worker figure is then the pool's, not the CPU's.
 */
const PROVIDER_DELAY_MS = 40;
const PROVIDER_MESSAGES = 2000;

type System = 'luotsi' | 'raw';
type Pair = Record<System, DispatchRun>;

const seconds = (run: DispatchRun) => Math.round(run.ms / 100) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;
const fastest = (runs: DispatchRun[]) => runs.reduce((best, run) => (run.ms < best.ms ? run : best));

function path(
  name: string,
  values: { luotsi: number; raw: number; unit: string; ratio: number; goal: string },
  details: Record<string, unknown>,
): PathResult {
  const ratio = round2(values.ratio);
  return { path: name, ...values, ratio, holds: meets(ratio, values.goal), details };
}

/** A path whose figure is one ratio, worked out for each system alike (growth, speed-up). */
function ratioPath(
  name: string,
  ratioOf: (system: System) => number,
  goal: string,
  details: Record<string, unknown>,
): PathResult {
  const [luotsi, raw] = [ratioOf('luotsi'), ratioOf('raw')];
  return path(name, { luotsi: round2(luotsi), raw: round2(raw), unit: '×', ratio: luotsi, goal }, details);
}

/** A run as the JSON file keeps it. */
const describeRun = ({ system, messages, workers, ...run }: DispatchRun) => ({
  system,
  messages,
  workers,
  seconds: seconds({ system, messages, workers, ...run }),
  ...run,
});

/**
 * The dispatch family: one cadence step fanned out to 8,000 participants by Luotsi's worker and by the
 * raw baseline (dispatch), the same at 2,000 (growth), the worker's peak memory during the 8,000
 * (memory), and the 8,000 with two worker processes against one in the same round (scale-out). Runs
 * only what `wanted` needs, in a fixed order; `report` is called as each path's figures are complete.
 */
export async function benchDispatch(
  ctx: BenchContext,
  wanted: ReadonlySet<DispatchPath> = new Set(DISPATCH_PATHS),
  report: (result: PathResult) => void = () => undefined,
): Promise<PathResult[]> {
  const results: PathResult[] = [];
  const emit = (result: PathResult) => {
    results.push(result);
    report(result);
  };
  const run = async (system: System, messages: number, workers: number, providerDelayMs = 0) => {
    const measured = await (system === 'luotsi' ? runLuotsi : runRaw)(
      ctx,
      messages,
      workers,
      providerDelayMs,
    );
    const delay = providerDelayMs ? ` at ${providerDelayMs} ms a message` : '';
    ctx.log(
      `${system} ${messages} msgs${delay}, ${workers} worker(s): ${seconds(measured)} s, ${measured.perSecond}/s, ` +
        `CPU/msg ${measured.cpuMsPerMessage} ms worker + ${measured.postgresCpuMsPerMessage} ms Postgres, peak ${measured.peakMb.join('+')} MB, ` +
        `duplicates ${measured.duplicates}, missing ${measured.missing}`,
    );
    if (measured.missing || measured.failed)
      throw new Error(`${system} run lost mail: ${JSON.stringify(measured)}`);
    return measured;
  };
  /** Raw, then Luotsi, ROUNDS times; the fastest of each. */
  const rounds = async (messages: number, last?: (round: Pair) => Promise<void>) => {
    const runs: Record<System, DispatchRun[]> = { raw: [], luotsi: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      const pair = { raw: await run('raw', messages, 1), luotsi: await run('luotsi', messages, 1) };
      runs.raw.push(pair.raw);
      runs.luotsi.push(pair.luotsi);
      if (round === ROUNDS) await last?.(pair);
    }
    return { best: { raw: fastest(runs.raw), luotsi: fastest(runs.luotsi) }, runs };
  };
  const settings = {
    rounds: ROUNDS,
    concurrency: DEFAULTS.worker.concurrency,
    mailPool: DEFAULTS.mail.poolSize,
    databasePool: DEFAULTS.database.poolSize,
  };

  const small = wanted.has('growth') ? await rounds(SMALL) : undefined;
  // Scale-out compares two workers with one in the same round, back to back, under the same conditions.
  let scale: { one: Pair; two: Pair } | undefined;
  const large = await rounds(LARGE, async (one) => {
    if (wanted.has('scale-out'))
      scale = { one, two: { raw: await run('raw', LARGE, 2), luotsi: await run('luotsi', LARGE, 2) } };
  });

  if (wanted.has('dispatch'))
    emit(
      path(
        'dispatch',
        {
          luotsi: seconds(large.best.luotsi),
          raw: seconds(large.best.raw),
          unit: 's',
          ratio: large.best.raw.ms / large.best.luotsi.ms,
          goal: '≥ 0.5×',
        },
        {
          what: `${LARGE} msgs`,
          settings,
          luotsiRuns: large.runs.luotsi.map(describeRun),
          rawRuns: large.runs.raw.map(describeRun),
        },
      ),
    );
  if (small) {
    emit(
      ratioPath('growth-dispatch', (system) => large.best[system].ms / small.best[system].ms, '≤ 4.4×', {
        what: `${SMALL}→${LARGE} msgs`,
        luotsiSeconds: [seconds(small.best.luotsi), seconds(large.best.luotsi)],
        rawSeconds: [seconds(small.best.raw), seconds(large.best.raw)],
        smallRuns: [...small.runs.raw, ...small.runs.luotsi].map(describeRun),
      }),
    );
  }
  if (wanted.has('memory')) {
    const peak = (system: System) => Math.max(...large.runs[system].map((run) => run.peakMb[0]));
    emit(
      path(
        'memory',
        { luotsi: peak('luotsi'), raw: peak('raw'), unit: 'MB', ratio: peak('luotsi'), goal: '≤ 256 MB' },
        {
          what: `worker peak RSS, ${LARGE} msgs`,
          readyMb: large.runs.luotsi.map((run) => run.readyMb[0]),
          note: 'VmHWM of the worker process (run from source, as swc compiles it on load), the highest of the rounds',
        },
      ),
    );
  }
  if (scale) {
    const { one, two } = scale;
    emit(
      ratioPath('scale-out', (system) => one[system].ms / two[system].ms, '≥ 1.6×', {
        what: `${LARGE} msgs, 2 workers vs 1`,
        luotsiSeconds: [seconds(one.luotsi), seconds(two.luotsi)],
        rawSeconds: [seconds(one.raw), seconds(two.raw)],
        luotsiRun: describeRun(two.luotsi),
        rawRun: describeRun(two.raw),
      }),
    );
    emit(
      path(
        'scale-out-duplicates',
        {
          luotsi: two.luotsi.duplicates,
          raw: two.raw.duplicates,
          unit: 'msgs',
          ratio: two.luotsi.duplicates,
          goal: '= 0',
        },
        { what: `${LARGE} msgs, 2 workers`, received: two.luotsi.received },
      ),
    );
    const atDelay = async (workers: number): Promise<Pair> => ({
      raw: await run('raw', PROVIDER_MESSAGES, workers, PROVIDER_DELAY_MS),
      luotsi: await run('luotsi', PROVIDER_MESSAGES, workers, PROVIDER_DELAY_MS),
    });
    const [slowOne, slowTwo] = [await atDelay(1), await atDelay(2)];
    emit(
      ratioPath('scale-out-provider', (system) => slowOne[system].ms / slowTwo[system].ms, '≥ 1.6×', {
        what: `${PROVIDER_MESSAGES} msgs accepted after ${PROVIDER_DELAY_MS} ms each, 2 workers vs 1`,
        luotsiSeconds: [seconds(slowOne.luotsi), seconds(slowTwo.luotsi)],
        rawSeconds: [seconds(slowOne.raw), seconds(slowTwo.raw)],
        duplicates: slowTwo.luotsi.duplicates,
        luotsiRun: describeRun(slowTwo.luotsi),
      }),
    );
  }
  return results;
}
