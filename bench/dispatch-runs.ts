import request from 'supertest';
import { Client } from 'pg';
import { AppConfig } from '@luotsi/config';
import { createApiApp } from '../apps/api/src/api.app';
import { prepareDueFanOut } from '../test/support/faults';
import { AppProcess, spawnApp } from '../test/support/processes';
import { forkTs } from './child';
import {
  backendCpu,
  backendCpuSince,
  BenchContext,
  cpuMs,
  MemorySampler,
  PRODUCTION_ENV,
  sum,
  waitUntil,
} from './kit';
import type { RawReply, RawRequest } from './raw-worker';
import { startSink, Sink } from './sink';

/** One fan-out, from "due" to every message accepted by the SMTP sink and every status row `sent`. */
export interface DispatchRun {
  system: 'luotsi' | 'raw';
  messages: number;
  workers: number;
  ms: number;
  perSecond: number;
  /** Peak resident memory of each worker process, MB. */
  peakMb: number[];
  /** Resident memory of each worker process once ready, before the fan-out, MB. */
  readyMb: number[];
  /** CPU time of the worker processes per message, from due to settled, ms. */
  cpuMsPerMessage: number;
  /** CPU time of the Postgres backends serving the run's database per message, ms. */
  postgresCpuMsPerMessage: number;
  received: number;
  duplicates: number;
  missing: number;
  failed: number;
}

const RUN_TIMEOUT_MS = 240_000;
/** The worker's own defaults (concurrency, pools), which the raw baseline copies. */
export const DEFAULTS = AppConfig.fromEnvironment({});
/** Steps are due "now"; a short tick keeps the wait for the scheduler's next beat out of the figure. */
const TICK_MS = 250;

interface Progress {
  done: number;
  failed: number;
  lastSentAt: number;
}

/**
 * Waits until every row is settled and every sent message is at the sink, then reads the end from the
 * timestamps (the last `sent_at`, the sink's last arrival) rather than from the polling.
 */
async function settle(
  messages: number,
  sink: Sink,
  progress: () => Promise<Progress>,
  describe: () => string,
): Promise<{ end: number; failed: number; received: number }> {
  let last: Progress = { done: 0, failed: 0, lastSentAt: 0 };
  let arrived = { count: 0, lastAt: 0 };
  await waitUntil(
    async () => {
      last = await progress();
      if (last.done < messages) return false;
      arrived = await sink.count();
      return arrived.count >= messages - last.failed;
    },
    RUN_TIMEOUT_MS,
    () => `${last.done}/${messages} settled, ${arrived.count} at the sink; ${describe()}`,
    200,
  );
  return { end: Math.max(last.lastSentAt, arrived.lastAt), failed: last.failed, received: arrived.count };
}

/** Received copies per expected Message-ID. */
function join(ids: string[], messageIds: string[]): { duplicates: number; missing: number } {
  const expected = new Set(ids.map((id) => `<${id}@localhost>`));
  const seen = new Map<string, number>();
  for (const id of messageIds) if (expected.has(id)) seen.set(id, (seen.get(id) ?? 0) + 1);
  const duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
  return { duplicates, missing: expected.size - seen.size };
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/**
 * Luotsi's own path: the real worker processes (from source, production mode, default concurrency and
 * pools) dispatch one due prompt step of a pilot of `messages` participants, imported through the API.
 */
export async function runLuotsi(
  ctx: BenchContext,
  messages: number,
  workers: number,
  providerDelayMs = 0,
): Promise<DispatchRun> {
  const label = `luotsi-${messages}-${workers}w-${providerDelayMs}ms`;
  const database = await ctx.database(label);
  const sink = await startSink(providerDelayMs);
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: ctx.queuePrefix(label),
    // The runs send far more than a new workspace's daily quota: the quota is not what is measured.
    DEFAULT_DAILY_SEND_QUOTA: '10000000',
  };
  const api = await createApiApp({
    config: AppConfig.fromEnvironment({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
  });
  await api.init();
  const db = await connect(database.url);
  const processes: AppProcess[] = [];
  const samplers: MemorySampler[] = [];
  try {
    const fanOut = await prepareDueFanOut(request(api.getHttpServer()), {
      participants: messages,
      domain: 'bench.example',
    });
    for (let i = 0; i < workers; i++) {
      processes.push(
        spawnApp('worker', {
          ...env,
          ...PRODUCTION_ENV,
          SMTP_URL: sink.url,
          CADENCE_TICK_MS: String(TICK_MS),
          HEARTBEAT_EVERY_MS: '3600000',
          // "info" for the worker's ready line only; nothing is logged per job.
          LOG_LEVEL: 'info',
          ...benchOverrides(),
        }),
      );
    }
    await Promise.all(processes.map((p) => p.waitForOutput(/ready \(concurrency \d+\)/, 60_000)));
    samplers.push(...processes.map((p) => new MemorySampler(p.child.pid!)));
    const readyMb = samplers.map((s) => s.currentMb());

    let quarterId = '';
    return await measure('luotsi', messages, db, sink, {
      pids: processes.map((p) => p.child.pid!),
      samplers,
      readyMb,
      start: async () => {
        quarterId = await fanOut.start();
      },
      progress: async () => {
        const { rows } = await db.query(
          `SELECT count(*) FILTER (WHERE status IN ('sent', 'failed'))::int AS done,
                  count(*) FILTER (WHERE status = 'failed')::int AS failed,
                  coalesce(extract(epoch FROM max(sent_at)) * 1000, 0)::float8 AS "lastSentAt"
           FROM outbox_message WHERE quarter_id = $1`,
          [quarterId],
        );
        return rows[0] as Progress;
      },
      output: () => processes[0].output().slice(-1500),
      stop: () => Promise.all(processes.map((p) => stopProcess(p))),
      rowIds: async () =>
        (await db.query(`SELECT id FROM outbox_message WHERE quarter_id = $1`, [quarterId])).rows,
    });
  } finally {
    samplers.forEach((s) => s.stop());
    for (const p of processes) p.child.kill('SIGKILL');
    await db.end();
    await api.close();
    await sink.close();
    await database.drop();
  }
}

/** Extra worker settings for experiments (BENCH_WORKER_ENV='{"WORKER_CONCURRENCY":"16"}'). */
function benchOverrides(): Record<string, string> {
  return process.env.BENCH_WORKER_ENV ? JSON.parse(process.env.BENCH_WORKER_ENV) : {};
}

async function stopProcess(p: AppProcess): Promise<void> {
  p.child.kill('SIGTERM');
  await p.exited;
}

/** The raw baseline (raw-worker.ts) on the same machine, sink and worker settings. */
export async function runRaw(
  ctx: BenchContext,
  messages: number,
  workers: number,
  providerDelayMs = 0,
): Promise<DispatchRun> {
  const label = `raw-${messages}-${workers}w-${providerDelayMs}ms`;
  const database = await ctx.database(label);
  const sink = await startSink(providerDelayMs);
  const db = await connect(database.url);
  const children: ReturnType<typeof forkTs<RawRequest, RawReply>>[] = [];
  const samplers: MemorySampler[] = [];
  try {
    await db.query(`
      CREATE TABLE raw_participant (email text NOT NULL, name text NOT NULL, locale text NOT NULL);
      CREATE TABLE raw_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text NOT NULL, name text NOT NULL,
        locale text NOT NULL, status text NOT NULL DEFAULT 'queued', sent_at timestamptz);
      CREATE INDEX ON raw_message (status);`);
    await db.query(
      `INSERT INTO raw_participant (email, name, locale)
       SELECT 'person' || i || '@raw.example', 'Aino Virtanen ' || i, (ARRAY['fi', 'sv', 'en'])[i % 3 + 1]
       FROM generate_series(0, $1 - 1) i`,
      [messages],
    );
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: ctx.redisUrl,
      QUEUE_PREFIX: ctx.queuePrefix(label),
      SMTP_URL: sink.url,
      WORKER_CONCURRENCY: String(DEFAULTS.worker.concurrency),
      DATABASE_POOL_SIZE: String(DEFAULTS.database.poolSize),
      MAIL_POOL_SIZE: String(DEFAULTS.mail.poolSize),
      ...rawOverrides(),
    };
    for (let i = 0; i < workers; i++) children.push(forkTs<RawRequest, RawReply>('raw-worker.ts', env));
    await Promise.all(children.map((c) => c.next('ready')));
    samplers.push(...children.map((c) => new MemorySampler(c.child.pid!)));
    const readyMb = samplers.map((s) => s.currentMb());

    return await measure('raw', messages, db, sink, {
      pids: children.map((c) => c.child.pid!),
      samplers,
      readyMb,
      start: async () => {
        await children[0].ask({ type: 'fan-out' }, 'fanned-out');
      },
      progress: async () => {
        const { rows } = await db.query(
          `SELECT count(*) FILTER (WHERE status = 'sent')::int AS done, 0 AS failed,
                  coalesce(extract(epoch FROM max(sent_at)) * 1000, 0)::float8 AS "lastSentAt"
           FROM raw_message`,
        );
        return rows[0] as Progress;
      },
      output: () => '',
      stop: () => Promise.all(children.map((c) => c.stop())),
      rowIds: async () => (await db.query(`SELECT id FROM raw_message`)).rows,
    });
  } finally {
    samplers.forEach((s) => s.stop());
    for (const c of children) c.child.kill('SIGKILL');
    await db.end();
    await sink.close();
    await database.drop();
  }
}

/** The raw worker follows the same overrides where they name a setting it has. */
function rawOverrides(): Record<string, string> {
  const keys = ['WORKER_CONCURRENCY', 'DATABASE_POOL_SIZE', 'MAIL_POOL_SIZE', 'NODE_OPTIONS'];
  return Object.fromEntries(Object.entries(benchOverrides()).filter(([key]) => keys.includes(key)));
}

/** What one system's run is measured by, between starting the fan-out and the last mail received. */
interface Measured {
  pids: number[];
  samplers: MemorySampler[];
  readyMb: number[];
  /** Makes the step due (Luotsi) or fans out (raw). */
  start(): Promise<void>;
  progress(): Promise<Progress>;
  /** The workers' recent output, for a run that stalls. */
  output(): string;
  stop(): Promise<unknown>;
  rowIds(): Promise<{ id: string }[]>;
}

/** Times a run from start to settled, with CPU, memory and the join of rows against mail received. */
async function measure(
  system: DispatchRun['system'],
  messages: number,
  db: Client,
  sink: Sink,
  run: Measured,
): Promise<DispatchRun> {
  const cpuBefore = sum(run.pids.map(cpuMs));
  const postgresBefore = await backendCpu(db);
  const start = Date.now();
  await run.start();
  const { end, failed, received } = await settle(messages, sink, run.progress, run.output);
  const ms = end - start;
  const cpu = sum(run.pids.map(cpuMs)) - cpuBefore;
  const postgresCpu = backendCpuSince(postgresBefore, await backendCpu(db));
  const peakMb = run.samplers.map((s) => s.peakMb);
  await run.stop();
  const counted = join(
    (await run.rowIds()).map((r) => r.id),
    await sink.messageIds(),
  );
  return result(
    system,
    messages,
    run.pids.length,
    ms,
    { peakMb, readyMb: run.readyMb, cpu, postgresCpu },
    received,
    failed,
    counted,
  );
}

function result(
  system: DispatchRun['system'],
  messages: number,
  workers: number,
  ms: number,
  measured: { peakMb: number[]; readyMb: number[]; cpu: number; postgresCpu: number },
  received: number,
  failed: number,
  counted: { duplicates: number; missing: number },
): DispatchRun {
  return {
    system,
    messages,
    workers,
    ms,
    perSecond: Math.round((messages / ms) * 1000),
    peakMb: measured.peakMb,
    readyMb: measured.readyMb,
    cpuMsPerMessage: Math.round((measured.cpu / messages) * 100) / 100,
    postgresCpuMsPerMessage: Math.round((measured.postgresCpu / messages) * 100) / 100,
    received,
    failed,
    ...counted,
  };
}
