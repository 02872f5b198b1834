import type { DataSource } from 'typeorm';
import { JobName, JobPayloads, JobProducer } from '@luotsi/queue';
import { RetryableError } from '../common/errors';
import { OutboxService, QueuedMail } from '../delivery';
import { WebhookService } from '../webhooks';

/** How many erased recipients' mail rows one pass looks at. */
const BATCH = 500;

/** What one pass over an erased person's mail did. */
export interface ErasedMailPass {
  /** Mail rows looked at. */
  rows: number;
  /** Send jobs removed from Redis (of every generation of those rows). */
  removed: number;
  /** Send jobs still held because they are running right now; the rows wait for the next pass. */
  running: number;
  /** Rows done: no job left in Redis, and the person's id gone from their keys. */
  cleared: number;
}

/** What clearing an erased person's mail asks: the outbox's rows, the webhooks' payloads, Redis's jobs. */
export interface ErasedMailDeps {
  db: DataSource;
  outbox: OutboxService;
  webhooks: WebhookService;
  jobs: JobProducer;
}

/** Thrown by the cleanup job while a send job of an erased person still runs, so BullMQ retries it. */
export class ErasedMailStillRunningError extends RetryableError {}

/**
 * Clears what Redis holds of an erased person's mail: every generation's send job of the rows (their
 * data, failure reasons and stack traces), the queue's events about those jobs, and then the person's id
 * in the rows' keys (and in what webhook deliveries say of those rows). A job running right now cannot
 * be removed: its row keeps its key and is counted in `running`, for the next pass. With `outboxIds`, only
 * those rows; without, any erased person's rows not yet cleared (the scheduler's sweep).
 */
export async function clearErasedMail(deps: ErasedMailDeps, outboxIds?: string[]): Promise<ErasedMailPass> {
  const total: ErasedMailPass = { rows: 0, removed: 0, running: 0, cleared: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await deps.outbox.erasedNotCleared(outboxIds, after, BATCH);
    if (rows.length) {
      const pass = await clearRows(deps, rows);
      total.rows += pass.rows;
      total.removed += pass.removed;
      total.running += pass.running;
      total.cleared += pass.cleared;
    }
    if (rows.length < BATCH) return total;
    after = rows[rows.length - 1].id;
  }
}

async function clearRows(
  { db, outbox, webhooks, jobs }: ErasedMailDeps,
  rows: QueuedMail[],
): Promise<ErasedMailPass> {
  const payloads = (row: QueuedMail): JobPayloads[JobName.SendMessage][] =>
    Array.from({ length: row.generation }, (_, g) => ({ outboxId: row.id, key: row.key, generation: g + 1 }));
  const all = rows.flatMap(payloads);
  const removed = await jobs.forget(JobName.SendMessage, all);
  const held = await jobs.held(JobName.SendMessage, all);
  const busy = new Set(all.filter((_, i) => held[i]).map((payload) => payload.outboxId));
  // Even a running job's events go now; the ones it adds when it ends go at the next pass.
  await jobs.forgetEvents(JobName.SendMessage, all);
  const done = rows.filter((row) => !busy.has(row.id)).map((row) => row.id);
  let cleared = 0;
  if (done.length) {
    await db.transaction(async (manager) => {
      // A delivery.failed announced by a send that was running during the erasure names the person.
      await webhooks.forgetErasedMail(done, manager);
      cleared = await outbox.clearErasedKeys(done, manager);
    });
  }
  return { rows: rows.length, removed, running: busy.size, cleared };
}
