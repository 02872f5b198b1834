import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import { blockedAddressReason } from './webhook-address';

/** How long a save waits on DNS: an answer later than this leaves the check to each attempt. */
const SAVE_LOOKUP_TIMEOUT_MS = 3000;

/** Name resolution for webhook targets, one provider so tests can answer for names they make up. */
@Injectable()
export class WebhookResolver {
  resolve(hostname: string): Promise<LookupAddress[]> {
    return new Promise((resolve, reject) =>
      dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
        error ? reject(error) : resolve(addresses),
      ),
    );
  }
}

/** The target is not a public address: no connection was made, and trying again will not help. */
export class EgressRefusedError extends Error {
  override name = 'EgressRefusedError';
}

/** What an attempt came to, in status and time only: no header or body of the answer is read. */
export type EgressResult =
  | { kind: 'answered'; status: number; ms: number }
  | { kind: 'refused'; reason: string }
  | { kind: 'timeout'; ms: number }
  | { kind: 'unresolved' }
  | { kind: 'no-connection'; ms: number };

/**
 * The only way out to a webhook receiver. Every address a target resolves to is judged (one bad
 * address refuses the target, so a name cannot mix a public and an internal answer), and the address
 * judged is the one the socket connects to: the check runs inside the connection's own `lookup`, so a
 * name re-resolved in between (DNS rebinding) cannot swap it. IP literals are judged before any
 * connection. Redirects are never followed; each attempt resolves afresh.
 */
@Injectable()
export class WebhookEgress {
  constructor(
    private readonly config: AppConfig,
    private readonly resolver: WebhookResolver,
  ) {}

  private get allowPrivate(): boolean {
    return this.config.webhooks.allowPrivateTargets;
  }

  /** Why a URL's host is not a public receiver, checked when an endpoint is saved; null when it may be. */
  async targetProblem(url: string): Promise<string | null> {
    if (this.allowPrivate) return null;
    const host = hostOf(url);
    if (isIP(host)) {
      const reason = blockedAddressReason(host);
      return reason ? `must reach a public address (${host} is ${reason})` : null;
    }
    let addresses: LookupAddress[];
    try {
      addresses = await withTimeout(this.resolver.resolve(host), SAVE_LOOKUP_TIMEOUT_MS);
    } catch {
      return null; // not resolvable now: each attempt checks again before connecting
    }
    const reason = addresses.map((a) => blockedAddressReason(a.address)).find(Boolean);
    return reason ? `must reach a public address (${host} resolves to a ${reason} address)` : null;
  }

  /** POSTs the body and reports the status and the time to it; never throws. */
  async post(url: string, headers: Record<string, string>, body: string): Promise<EgressResult> {
    const target = new URL(url);
    const host = hostOf(url);
    if (isIP(host) && !this.allowPrivate) {
      const reason = blockedAddressReason(host);
      if (reason) return { kind: 'refused', reason: `${host} is ${reason}` };
    }
    const timeoutMs = this.config.webhooks.timeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    return new Promise<EgressResult>((resolve) => {
      const client = target.protocol === 'https:' ? https : http;
      const request = client.request(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
          agent: false, // one connection per attempt, to the address judged for it
          lookup: this.lookup,
          signal,
        },
        (response) => {
          resolve({ kind: 'answered', status: response.statusCode ?? 0, ms: elapsed() });
          // The status is all that is kept: the body is never read.
          response.on('error', () => undefined);
          response.destroy();
        },
      );
      request.on('error', (error: Error & { code?: string }) => {
        if (error instanceof EgressRefusedError) resolve({ kind: 'refused', reason: error.message });
        else if (signal.aborted) resolve({ kind: 'timeout', ms: timeoutMs });
        else if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') resolve({ kind: 'unresolved' });
        else resolve({ kind: 'no-connection', ms: elapsed() });
      });
      request.end(body);
    });
  }

  /** The connection's own name resolution: answers only with addresses that passed the check. */
  private readonly lookup = ((
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback,
  ) => {
    this.resolver
      .resolve(hostname)
      .then((found) => {
        if (!this.allowPrivate)
          for (const { address } of found) {
            const reason = blockedAddressReason(address);
            if (reason) throw new EgressRefusedError(`${hostname} resolves to a ${reason} address`);
          }
        // `family` is 4, 6, 0 or (in some callers) 'IPv4' / 'IPv6'.
        const family =
          ({ 4: 4, 6: 6, IPv4: 4, IPv6: 6 } as Record<string, number>)[String(options.family)] ?? 0;
        const usable = found.filter((a) => !family || a.family === family);
        if (!usable.length)
          throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
        if (options.all) callback(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      })
      .catch((error: Error) => callback(error, '', 0));
  }) as LookupFunction;
}

function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
