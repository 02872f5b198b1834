import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigModule, LoggingModule } from '@luotsi/config';
import { DatabaseModule } from '@luotsi/database';
import { CadenceTicker, DomainModule } from '@luotsi/domain';
import { QueueModule } from '@luotsi/queue';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  participantCsv,
  signUp,
  Workspace,
} from './fixtures';
import { waitFor } from './processes';
import { ReceivedMail } from './smtp';

const DAY = 24 * 3600 * 1000;

/** The calendar quarter of `now` in UTC as the API names it (`2026-Q4`), and today's offset into it. */
export function currentQuarter(now = new Date()): { label: string; offsetDays: number } {
  const year = now.getUTCFullYear();
  const index = Math.floor(now.getUTCMonth() / 3);
  const first = Date.UTC(year, index * 3, 1);
  const today = Date.UTC(year, now.getUTCMonth(), now.getUTCDate());
  return { label: `${year}-Q${index + 1}`, offsetDays: Math.round((today - first) / DAY) };
}

export interface DueFanOut {
  owner: Workspace;
  pilotId: string;
  /** Starts the pilot (its first quarter becomes active, the step is due at once); returns the quarter id. */
  start(): Promise<string>;
}

export const FAULT_STEP = 'fault-step';

/**
 * A pilot of `participants` people in the current calendar quarter (organization in UTC) whose rollout
 * has one prompt step dated today at 00:00 local time, without quiet hours: once the pilot is started,
 * the step is due in real time, so worker processes on the system clock fan it out at their next tick.
 */
export async function prepareDueFanOut(
  http: TestAgent,
  options: { participants: number; domain: string; now?: Date },
): Promise<DueFanOut> {
  const owner = await signUp(http);
  const auth = bearer(owner.token);
  const quarter = currentQuarter(options.now);
  const organization = await createOrganization(http, owner.token, { timeZone: 'UTC', defaultLocale: 'en' });
  const rollout = await createRollout(http, owner.token, organization.id);
  const pilot = await createPilot(http, owner.token, rollout.id, { startQuarter: quarter.label });
  const imported = await http
    .post(`/api/v1/pilots/${pilot.id}/participants/import`)
    .set(auth)
    .set('Content-Type', 'text/csv; charset=utf-8')
    .send(Buffer.from(participantCsv(options.participants, { domain: options.domain }), 'utf8'))
    .expect(200);
  if (imported.body.addedToPilot !== options.participants)
    throw new Error(`imported ${JSON.stringify(imported.body)}`);
  await http
    .put(`/api/v1/rollouts/${rollout.id}/cadence`)
    .set(auth)
    .send({
      steps: [
        {
          key: FAULT_STEP,
          kind: 'prompt',
          anchor: 'start',
          offsetDays: quarter.offsetDays,
          sendTime: '00:00',
          template: 'prompt-kickoff',
          audience: 'participants',
        },
      ],
      weeklyEmailCap: 50,
      // An empty window: never quiet.
      quietHours: { start: '00:00', end: '00:00' },
    })
    .expect(200);
  return {
    owner,
    pilotId: pilot.id,
    start: async () => {
      await http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
      const res = await http.get(`/api/v1/pilots/${pilot.id}`).set(auth).expect(200);
      return res.body.currentQuarter.id as string;
    },
  };
}

/** The environment of a worker child process that sends to `smtpUrl` as fast as it can (no MAIL_RATE_PER_SECOND: no limiter). */
export function workerEnv(apiEnv: Record<string, string>, smtpUrl: string): Record<string, string> {
  return {
    ...apiEnv,
    SMTP_URL: smtpUrl,
    CADENCE_TICK_MS: '200',
    OUTBOX_REQUEUE_AFTER_MS: '3000',
    WORKER_CONCURRENCY: '8',
    MAIL_RETRY_BASE_MS: '50',
    HEARTBEAT_EVERY_MS: '3600000',
    // "info" only for the worker's "ready" line; nothing is logged per job.
    LOG_LEVEL: 'info',
  };
}

export interface OutboxRow {
  id: string;
  status: string;
  claimedAt: Date | null;
  attempts: number;
  generation: number;
}

/** Every outbox row of a quarter, as the database has it now. */
export async function outboxRows(db: DataSource, quarterId: string): Promise<OutboxRow[]> {
  return db.query(
    `SELECT id, status, claimed_at AS "claimedAt", attempts, generation
     FROM outbox_message WHERE quarter_id = $1 ORDER BY id`,
    [quarterId],
  );
}

export async function countByStatus(db: DataSource, quarterId: string): Promise<Record<string, number>> {
  const rows: { status: string; n: number }[] = await db.query(
    `SELECT status, count(*)::int AS n FROM outbox_message WHERE quarter_id = $1 GROUP BY status`,
    [quarterId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Waits until `expected` rows of the quarter exist and every one of them is `sent` or `failed`. */
export async function waitUntilSettled(
  db: DataSource,
  quarterId: string,
  expected: number,
  timeoutMs: number,
  describe: () => string = () => '',
): Promise<void> {
  let counts: Record<string, number> = {};
  await waitFor(
    async () => {
      counts = await countByStatus(db, quarterId);
      return (counts.sent ?? 0) + (counts.failed ?? 0) === expected;
    },
    timeoutMs,
    () => `outbox rows not all sent or failed: ${JSON.stringify(counts)} ${describe()}`,
  );
}

export interface MailJoin {
  /** Received copies per outbox row id (0 for a row whose mail never arrived). */
  copies: Map<string, number>;
  /** Rows with no message at the SMTP server. */
  missing: string[];
  /** Rows whose message arrived more than once. */
  duplicated: string[];
  /** Extra copies in all: received messages of known rows minus rows received. */
  duplicates: number;
  /** Messages whose Message-ID is no row of the run. */
  foreign: string[];
}

/** Joins the SMTP server's log to outbox rows by Message-ID (`<{outbox id}@{domain of MAIL_FROM}>`). */
export function joinMail(rows: { id: string }[], received: ReceivedMail[], domain = 'localhost'): MailJoin {
  const copies = new Map(rows.map((row) => [row.id, 0]));
  const foreign: string[] = [];
  const pattern = new RegExp(`^<([0-9a-f-]{36})@${domain.replace(/\./g, '\\.')}>$`);
  for (const mail of received) {
    const id = pattern.exec(mail.messageId)?.[1];
    if (id && copies.has(id)) copies.set(id, copies.get(id)! + 1);
    else foreign.push(mail.messageId);
  }
  const missing = [...copies].filter(([, n]) => n === 0).map(([id]) => id);
  const duplicated = [...copies].filter(([, n]) => n > 1).map(([id]) => id);
  const duplicates = [...copies.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  return { copies, missing, duplicated, duplicates, foreign };
}

/**
 * Deletes every key of one queue prefix (this test's own; other test files share the Redis), the way
 * losing Redis would: job hashes, lists, schedulers, rate limiter, all of it. Returns how many.
 */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  await redis.connect();
  try {
    let deleted = 0;
    const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length) deleted += await redis.del(...keys);
    }
    return deleted;
  } finally {
    await redis.quit();
  }
}

/** How many keys of a prefix hold a job (`<prefix>:<queue>:<job id>` hashes of a queue). */
export async function countJobKeys(redisUrl: string, prefix: string, queue: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  await redis.connect();
  try {
    let found = 0;
    const stream = redis.scanStream({ match: `${prefix}:${queue}:send.*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>)
      found += keys.filter((key) => !/:(lock|logs)$/.test(key)).length;
    return found;
  } finally {
    await redis.quit();
  }
}

@Module({})
class SchedulerOnlyModule {}

export interface InProcessScheduler {
  app: INestApplicationContext;
  ticker: CadenceTicker;
  close(): Promise<void>;
}

/**
 * The worker's scheduling half in the test process (its own database pool and Redis connection) with no
 * queue consumer, so it can race other schedulers while only the worker processes send.
 */
export async function startScheduler(env: Record<string, string>): Promise<InProcessScheduler> {
  const config = AppConfig.fromEnvironment({ ...env, LOG_LEVEL: 'silent' });
  const app = await NestFactory.createApplicationContext(
    {
      module: SchedulerOnlyModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule,
        QueueModule.forRoot(),
        DomainModule.forRoot(),
      ],
    },
    { logger: false },
  );
  await app.init();
  return { app, ticker: app.get(CadenceTicker), close: () => app.close() };
}
