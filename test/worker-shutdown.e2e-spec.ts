import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { JobName, JOBS, QueueName, redisConnection } from '@luotsi/queue';
import { testEnvironment, TestEnv } from './support/api';
import { TestDatabase } from './support/database';
import { killAll, spawnApp, waitFor } from './support/processes';

/** A real worker process, a real SIGTERM, real Redis and Postgres: running jobs finish, none are lost. */
describe('worker graceful shutdown', () => {
  let env: TestEnv;
  let database: TestDatabase;
  let queue: Queue;
  let db: Client;

  beforeAll(async () => {
    ({ env, database } = await testEnvironment());
    queue = new Queue(QueueName.Maintenance, {
      connection: redisConnection(env.REDIS_URL),
      prefix: env.QUEUE_PREFIX,
    });
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    killAll();
    await queue.obliterate({ force: true });
    await queue.close();
    await db.end();
    await database.drop();
  });

  const workerEnv = () => ({
    ...env,
    WORKER_CONCURRENCY: '3',
    HEARTBEAT_EVERY_MS: '3600000',
    SHUTDOWN_TIMEOUT_MS: '20000',
    LOG_LEVEL: 'info',
  });
  const rows = async (keys: string[]) =>
    (
      await db.query(`SELECT key, started_at, processed_at, attempts FROM heartbeat WHERE key = ANY($1)`, [
        keys,
      ])
    ).rows as {
      key: string;
      started_at: Date | null;
      processed_at: Date | null;
      attempts: number;
    }[];

  it('finishes the jobs in flight on SIGTERM, sent more than once, and leaves the rest queued for the next worker', async () => {
    const keys = Array.from({ length: 9 }, () => randomUUID());
    const definition = JOBS[JobName.Heartbeat];
    for (const key of keys) {
      const payload = { key, holdMs: 1500 };
      await queue.add(JobName.Heartbeat, payload, {
        ...definition.options,
        jobId: definition.jobId(payload),
      });
    }

    const first = spawnApp('worker', workerEnv());
    await first.waitForOutput(/ready \(concurrency 3\)/);
    await waitFor(async () => (await rows(keys)).filter((r) => r.started_at).length >= 3, 20_000);
    first.child.kill('SIGTERM');
    // The same signal again while draining, as a process group or a supervisor may send it twice.
    await new Promise((resolve) => setTimeout(resolve, 200));
    first.child.kill('SIGTERM');
    first.child.kill('SIGINT');
    const exit = await first.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(first.output()).toContain('SIGTERM: draining running jobs');

    const afterFirst = await rows(keys);
    const started = afterFirst.filter((r) => r.started_at);
    expect(started.length).toBeGreaterThanOrEqual(3);
    // Every job the worker took, it finished before exiting.
    expect(started.filter((r) => !r.processed_at)).toEqual([]);
    const counts = await queue.getJobCounts('waiting', 'active', 'failed', 'completed', 'delayed');
    expect(counts.failed).toBe(0);
    expect(counts.active).toBe(0);
    // The rest still wait (the worker's own scheduled beat is not one of ours).
    const waiting = (await queue.getJobs(['waiting', 'prioritized', 'delayed'])).filter((job) =>
      keys.includes(job.data.key),
    );
    expect(waiting).toHaveLength(keys.length - started.length);
    expect(counts.waiting + counts.delayed).toBeGreaterThanOrEqual(waiting.length);

    const second = spawnApp('worker', workerEnv());
    await waitFor(
      async () => (await rows(keys)).filter((r) => r.processed_at).length === keys.length,
      30_000,
      () => second.output().slice(-2000),
    );
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });

    const all = await rows(keys);
    expect(all).toHaveLength(keys.length);
    // None lost, none run twice.
    expect(all.map((r) => r.attempts)).toEqual(keys.map(() => 1));
    expect((await queue.getJobCounts('failed')).failed).toBe(0);
  });
});
