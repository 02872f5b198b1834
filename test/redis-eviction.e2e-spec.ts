import { ChildProcess, spawn } from 'node:child_process';
import Redis from 'ioredis';
import { testEnvironment, TestEnv } from './support/api';
import { TestDatabase } from './support/database';
import { freePort, killAll, spawnApp, waitFor } from './support/processes';

const REDIS_SERVER = '/usr/bin/redis-server';

/** A throwaway redis-server on a free port, with the given extra arguments. */
async function startRedis(...args: string[]): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      const client = new Redis(url, {
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    },
    10_000,
    () => `redis-server on ${port} did not start`,
  );
  return { url, process: child };
}

/** The worker refuses a Redis that may evict keys, since an evicted key is a lost job. */
describe('worker start-up against Redis eviction policies', () => {
  let env: TestEnv;
  let database: TestDatabase;
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    ({ env, database } = await testEnvironment());
  });
  afterAll(async () => {
    killAll();
    for (const server of servers) server.kill('SIGKILL');
    await database.drop();
  });

  it('exits non-zero, naming the policy and why, against maxmemory-policy allkeys-lru', async () => {
    const redis = await startRedis('--maxmemory-policy', 'allkeys-lru');
    servers.push(redis.process);
    const worker = spawnApp('worker', { ...env, REDIS_URL: redis.url, LOG_LEVEL: 'info' });
    const { code } = await worker.exited;
    expect(code).toBe(1);
    expect(worker.output()).toContain('maxmemory-policy "allkeys-lru"');
    expect(worker.output()).toMatch(/needs "noeviction"/);
    expect(worker.output()).toMatch(/evicted key loses queued jobs/);
    expect(worker.output()).not.toMatch(/ready \(concurrency/);
  });

  it("starts against this machine's Redis, whose policy is noeviction", async () => {
    const client = new Redis(env.REDIS_URL);
    try {
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    } finally {
      client.disconnect();
    }
    const worker = spawnApp('worker', { ...env, LOG_LEVEL: 'info', HEARTBEAT_EVERY_MS: '3600000' });
    await worker.waitForOutput(/ready \(concurrency/);
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  });

  it('warns and starts where the provider has disabled CONFIG', async () => {
    const redis = await startRedis('--rename-command', 'CONFIG', '');
    servers.push(redis.process);
    const worker = spawnApp('worker', {
      ...env,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'info',
      HEARTBEAT_EVERY_MS: '3600000',
    });
    await worker.waitForOutput(/ready \(concurrency/);
    expect(worker.output()).toMatch(/could not read Redis' maxmemory-policy/);
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  });
});
