import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { testEnvironment } from './support/api';
import { TestDatabase } from './support/database';
import { deleteQueueKeys } from './support/faults';
import { AppProcess, freePort, killAll, spawnApp, waitFor } from './support/processes';

const LIMIT = 6;
const CLIENT_A = '203.0.113.7';
const CLIENT_B = '198.51.100.9';

/** A participant page (a link that names no retrospective): throttled like every participant page. */
const PAGE = `/r/r_${randomBytes(32).toString('base64url')}`;

/**
 * Behind a load balancer, with several API processes: the participant pages' per-address limit holds
 * across the processes (counted in Redis) and tells clients apart by the proxy's X-Forwarded-For, which
 * is believed only from the proxies TRUST_PROXY names.
 */
describe('participant page limits behind a proxy, across API processes', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let trusting: string[];
  let distrusting: string;
  const processes: AppProcess[] = [];

  /** An API process on its own port; resolves with its address once /health answers. */
  async function api(extra: Record<string, string>): Promise<string> {
    const port = await freePort();
    const app = spawnApp('api', { ...env, ...extra, PORT: String(port), LOG_LEVEL: 'warn' });
    processes.push(app);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await fetch(`${base}/health`).catch(() => null))?.ok ?? false,
      90_000,
      () => app.output().slice(-2000),
    );
    return base;
  }

  const page = (base: string, client: string) =>
    fetch(`${base}${PAGE}`, { headers: { 'X-Forwarded-For': client } });

  beforeAll(async () => {
    const environment = await testEnvironment();
    database = environment.database;
    env = { ...environment.env, PARTICIPANT_PAGE_RATE_PER_MINUTE: String(LIMIT) };
    // Two processes that trust the proxy on loopback (the default), one that trusts only 10.0.0.0/8.
    [trusting, distrusting] = await Promise.all([
      Promise.all([api({}), api({})]),
      api({ TRUST_PROXY: '10.0.0.0/8' }),
    ]);
  }, 200_000);

  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    killAll();
    await deleteQueueKeys(env.REDIS_URL, env.QUEUE_PREFIX);
    await database?.drop();
  });

  it('holds one limit for a client across both processes, and keeps another client apart', async () => {
    // The limit's requests, alternating between the processes: all answered.
    for (let i = 0; i < LIMIT; i++) {
      const response = await page(trusting[i % 2], CLIENT_A);
      expect(response.status).toBe(404);
    }
    // One more at either process: refused, with when to come back.
    for (const base of trusting) {
      const refused = await page(base, CLIENT_A);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Another client behind the same proxy still gets its pages, at both processes.
    for (const base of trusting) expect((await page(base, CLIENT_B)).status).toBe(404);

    // The counts live in Redis under this installation's prefix, not in the processes.
    const redis = new Redis(env.REDIS_URL);
    try {
      const keys = await redis.keys(`${env.QUEUE_PREFIX}:limits:pages:*`);
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });

  it('ignores X-Forwarded-For from a proxy TRUST_PROXY does not name', async () => {
    // Requests from loopback, which this process does not trust: every "client" is 127.0.0.1.
    for (let i = 0; i < LIMIT; i++) {
      const client = i % 2 ? CLIENT_A : CLIENT_B;
      expect((await page(distrusting, `192.0.2.${i + 1}, ${client}`)).status).toBe(404);
    }
    const refused = await page(distrusting, '192.0.2.200');
    expect(refused.status).toBe(429);
  });
});
