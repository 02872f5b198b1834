import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { JobName, JobProducer } from '@luotsi/queue';
import { Clock } from '../common/clock';
import { returned } from '../common/sql';

const BATCH = 1000;

/**
 * Moves outbox rows onto the queue. Rows are the truth: a row that is due becomes `queued` with a new
 * generation and gets a job whose id is derived from its key and generation; a `queued` row whose job
 * vanished (Redis flushed, a worker killed) is queued again under the same id, which BullMQ
 * deduplicates while the job still exists.
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
      const rows = returned<{ id: string; key: string; generation: number }>(
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

  /** Re-adds the jobs of rows queued longer than `olderThanMs` ago (real time) and not yet sent. */
  async requeueStale(olderThanMs: number): Promise<number> {
    // A claim older than MAIL_CLAIM_TIMEOUT_MS died with its worker, and its job may have failed for good
    // (BullMQ keeps failed jobs and ignores an add under their id): a new generation gets a new job, and
    // the old job, should it ever run again, sees the generation moved on and skips.
    const abandoned = returned<{ id: string; key: string; generation: number }>(
      await this.dataSource.query(
        `UPDATE outbox_message SET generation = generation + 1, claimed_at = NULL, updated_at = now()
         WHERE status = 'queued' AND claimed_at < $1
         RETURNING id, key, generation`,
        [new Date(this.clock.now().getTime() - this.config.mail.claimTimeoutMs)],
      ),
    );
    await this.enqueue(abandoned);
    let total = abandoned.length;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { id: string; key: string; generation: number }[] = await this.dataSource.query(
        `SELECT id, key, generation FROM outbox_message
         WHERE status = 'queued' AND updated_at < now() - make_interval(secs => $1::float / 1000) AND id > $2
         ORDER BY id LIMIT $3`,
        [olderThanMs, after, BATCH],
      );
      await this.enqueue(rows);
      total += rows.length;
      if (rows.length < BATCH) return total;
      after = rows[rows.length - 1].id;
    }
  }

  private async enqueue(rows: { id: string; key: string; generation: number }[]): Promise<void> {
    await this.producer.enqueueMany(
      JobName.SendMessage,
      rows.map((row) => ({ outboxId: row.id, key: row.key, generation: row.generation })),
    );
  }
}
