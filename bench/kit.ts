import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@luotsi/database';
import { databaseUrl, newTemplateName, TEST_DATABASE_PREFIX, withAdmin } from '../test/support/database';

/** One measured path: Luotsi's figure, the raw baseline's in the same run, and the goal's verdict. */
export interface PathResult {
  path: string;
  luotsi: number;
  raw: number;
  unit: string;
  ratio: number;
  goal: string;
  holds: boolean;
  details?: Record<string, unknown>;
  /** Why the path was not measured in this run (e.g. its page does not exist yet); it counts for no goal. */
  skipped?: string;
}

export interface BenchContext {
  /** a fresh migrated database per call */
  database(label: string): Promise<{ url: string; drop(): Promise<void> }>;
  redisUrl: string;
  queuePrefix(label: string): string;
  log(line: string): void;
}

/** The context plus what only the orchestrator calls. */
export interface BenchRun extends BenchContext {
  /** Drops every database of the run (and the template) and deletes the run's Redis keys. */
  close(): Promise<void>;
}

const epoch = () => Math.floor(Date.now() / 1000);
/** Identifiers: lower-case letters, digits and `_` (databases) or `-` (queue prefixes) only. */
const slug = (label: string, separator: string, max: number) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .slice(0, max);

/**
 * Migrates a template database once per run; each `database()` call clones it (milliseconds). Names
 * share the test databases' prefix, so a crashed run's leftovers are swept by the next test run.
 */
export async function startBench(log: (line: string) => void): Promise<BenchRun> {
  const runId = randomBytes(3).toString('hex');
  const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const template = newTemplateName();
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${template}"`));
  const migrator = new DataSource(dataSourceOptions(databaseUrl(template), 1));
  await migrator.initialize();
  try {
    await migrator.runMigrations({ transaction: 'each' });
  } finally {
    await migrator.destroy();
  }

  const databases = new Set<string>();
  const drop = async (name: string) => {
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    databases.delete(name);
  };
  const prefixRoot = `luotsi-bench-${runId}`;

  return {
    redisUrl,
    log,
    queuePrefix: (label) => `${prefixRoot}-${slug(label, '-', 40)}`,
    async database(label) {
      const name = `${TEST_DATABASE_PREFIX}${epoch()}_bench_${slug(label, '_', 24)}_${randomBytes(3).toString('hex')}`;
      await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      databases.add(name);
      return { url: databaseUrl(name), drop: () => drop(name) };
    },
    async close() {
      for (const name of [...databases]) await drop(name);
      await drop(template);
      await deleteKeys(redisUrl, `${prefixRoot}-*`);
    },
  };
}

/** Deletes every Redis key matching a pattern; returns how many. */
export async function deleteKeys(redisUrl: string, pattern: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  await redis.connect();
  try {
    let deleted = 0;
    for await (const keys of redis.scanStream({ match: pattern, count: 1000 }) as AsyncIterable<string[]>)
      if (keys.length) deleted += await redis.del(...keys);
    return deleted;
  } finally {
    await redis.quit();
  }
}

/** A result's verdict for a goal such as `≥ 0.5×`, `≤ 256 MB` or `= 0`. */
export function meets(value: number, goal: string): boolean {
  const match = /^(≥|≤|=)\s*([\d.]+)/.exec(goal);
  if (!match) throw new Error(`unreadable goal ${goal}`);
  const target = Number(match[2]);
  return match[1] === '≥' ? value >= target : match[1] === '≤' ? value <= target : value === target;
}

/** The ratio in the goal's own unit: `0.56×`, `143 MB`, `0`. */
export function formatRatio(result: PathResult): string {
  const unit = result.goal.replace(/^[^\d]*[\d.]+\s*/, '');
  const digits = Number.isInteger(result.ratio) ? 0 : unit === '×' ? 2 : 1;
  const value = result.ratio.toFixed(digits);
  return unit === '×' ? `${value}×` : unit ? `${value} ${unit}` : value;
}

const fmt = (value: number, unit: string) => {
  const shown = unit === 's' ? value.toFixed(1) : Number.isInteger(value) ? String(value) : value.toFixed(2);
  return unit === '×' ? `${shown}×` : `${shown} ${unit}`;
};

/** One line per path: `dispatch  8000 msgs  luotsi 21.3 s  raw 12.0 s  ratio 0.56× (goal ≥ 0.5×) ok`. */
export function formatLine(result: PathResult): string {
  if (result.skipped) return `${result.path.padEnd(20)}  skipped: ${result.skipped}`;
  const what = typeof result.details?.what === 'string' ? `  ${result.details.what}` : '';
  return (
    `${result.path.padEnd(20)}${what}  luotsi ${fmt(result.luotsi, result.unit)}  raw ${fmt(result.raw, result.unit)}` +
    `  ratio ${formatRatio(result)} (goal ${result.goal}) ${result.holds ? 'ok' : 'MISS'}`
  );
}

/** The last line: every ratio, its goal, and how many goals hold. */
export function summaryLine(results: PathResult[], crashed: string[] = []): string {
  const parts = results.map((r) =>
    r.skipped
      ? `${r.path} skipped`
      : `${r.path} ${formatRatio(r)} ${r.goal.replace(/^(≥|≤|=)\s*/, '$1').replace(/×$/, '')} ${r.holds ? 'ok' : 'MISS'}`,
  );
  const measured = results.filter((r) => !r.skipped);
  const held = measured.filter((r) => r.holds).length;
  const crash = crashed.length ? ` · crashed: ${crashed.join(', ')}` : '';
  return `bench: ${[...parts, `${held}/${measured.length} goals hold`].join(' · ')}${crash}`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds; fails with `describe()` after the timeout. */
export async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(everyMs);
  }
}

/** CPU time a process has used so far (user + system), in ms; 0 once it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** CPU time of the server processes of a database's other sessions, by pid. */
export async function backendCpu(db: Client): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return new Map(rows.map(({ pid }) => [pid, cpuMs(pid)]));
}

/** What the backends used between two readings (a backend opened in between counts whole). */
export const backendCpuSince = (before: Map<number, number>, after: Map<number, number>) =>
  sum([...after].map(([pid, ms]) => ms - (before.get(pid) ?? 0)));

/**
 * Samples a process's resident memory from /proc while it lives: VmHWM is the kernel's own peak, so the
 * sampling interval cannot miss a spike; the last reading before exit is kept.
 */
export class MemorySampler {
  private peakKb = 0;
  private timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.read();
    this.timer = setInterval(() => this.read(), 100);
  }

  private read(): void {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      this.peakKb = Math.max(this.peakKb, kb);
    } catch {
      // The process has exited; its last reading stands.
    }
  }

  /** Resident set size now, in MB. */
  currentMb(): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    } catch {
      return 0;
    }
  }

  /** Peak resident set size so far, in MB. */
  get peakMb(): number {
    this.read();
    return Math.round(this.peakKb / 1024);
  }

  stop(): number {
    const peak = this.peakMb;
    clearInterval(this.timer);
    return peak;
  }
}

/**
 * What the apps need to start in production mode besides their servers: a key for webhook secrets (a
 * fresh one per run; the bench stores none).
 */
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
} as const;
