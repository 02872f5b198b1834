import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { JobName, JobProducer } from '@luotsi/queue';
import { Clock } from '../common/clock';
import { reconcileWaiting, WaitingRows } from '../common/job-reconciler';
import { returned } from '../common/sql';

const BATCH = 1000;

/**
 * Moves outbox rows onto the queue. Rows are the truth: a row that is due becomes `queued` with a new
 * generation and gets a job whose id is derived from its key and generation; a `queued` row whose job
 * was lost (Redis flushed, a worker killed mid-send) gets a new generation and a new job.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly producer: JobProducer,
    private readonly config: AppConfig,
  ) {}

  /** Queues every pending or deferred row that is due, in batches; returns how many. */
  async queueDue(): Promise<number> {
    let total = 0;
    for (;;) {
      // One statement per batch: the update commits before the jobs exist, so a job never finds its row unqueued.
      const rows = returned<QueuedRow>(
        await this.dataSource.query(
          `UPDATE outbox_message o SET status = 'queued', generation = o.generation + 1, deferred_until = NULL,
                deferred_reason = NULL, updated_at = now()
         WHERE o.id IN (
           SELECT id FROM outbox_message
           WHERE (status = 'pending' AND due_at <= $1) OR (status = 'deferred' AND deferred_until <= $1)
           ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING o.id, o.key, o.generation`,
          [this.clock.now(), BATCH],
        ),
      );
      await this.enqueue(rows);
      total += rows.length;
      if (rows.length < BATCH) return total;
    }
  }

  /**
   * Gives rows whose job was lost a new job: rows claimed longer than MAIL_CLAIM_TIMEOUT_MS ago (the
   * worker died mid-send), and unclaimed rows queued longer than `olderThanMs` ago (real time) whose job
   * Redis no longer holds to run. Returns how many.
   */
  async requeueStale(olderThanMs: number): Promise<number> {
    // A claim that old died with its worker, whatever Redis says of the job: a new generation at once.
    const abandoned = returned<QueuedRow>(
      await this.dataSource.query(
        `UPDATE outbox_message SET generation = generation + 1, claimed_at = NULL, updated_at = now()
         WHERE status = 'queued' AND claimed_at < $1
         RETURNING id, key, generation`,
        [new Date(this.clock.now().getTime() - this.config.mail.claimTimeoutMs)],
      ),
    );
    await this.enqueue(abandoned);
    const lost = await reconcileWaiting(this.dataSource, this.producer, QUEUED_MAIL, olderThanMs);
    return abandoned.length + lost;
  }

  private async enqueue(rows: QueuedRow[]): Promise<void> {
    await this.producer.enqueueMany(JobName.SendMessage, rows.map(payload));
  }
}

interface QueuedRow {
  id: string;
  key: string;
  generation: number;
}

const payload = (row: QueuedRow) => ({ outboxId: row.id, key: row.key, generation: row.generation });

/** Mail queued and not claimed waits on its send job. */
const QUEUED_MAIL: WaitingRows<JobName.SendMessage, QueuedRow> = {
  table: 'outbox_message',
  waiting: `t.status = 'queued' AND t.claimed_at IS NULL`,
  columns: ['key'],
  job: JobName.SendMessage,
  payload,
};
