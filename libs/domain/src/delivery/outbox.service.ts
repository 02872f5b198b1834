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
    // Each gets a new generation and so a new job id: the old job may still exist, finished or failed for
    // good or left half-deleted, and BullMQ ignores an add under an existing id. Should the old job ever
    // run again it sees the generation moved on and skips.
    const abandoned = returned<QueuedRow>(
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
      const rows: QueuedRow[] = await this.dataSource.query(
        `SELECT id, key, generation FROM outbox_message
         WHERE status = 'queued' AND claimed_at IS NULL
           AND updated_at < now() - make_interval(secs => $1::float / 1000) AND id > $2
         ORDER BY id LIMIT $3`,
        [olderThanMs, after, BATCH],
      );
      const pending = await this.producer.pending(JobName.SendMessage, rows.map(payload));
      const lost = rows.filter((_, i) => !pending[i]);
      const alive = rows.filter((_, i) => pending[i]);
      if (alive.length) {
        // Marked as looked at: a row whose job still waits is asked about again only after another
        // `olderThanMs`, not at every tick (a fan-out slower than that would be asked row by row each beat).
        await this.dataSource.query(
          `UPDATE outbox_message o SET updated_at = now()
           FROM unnest($1::uuid[], $2::int[]) AS alive(id, generation)
           WHERE o.id = alive.id AND o.generation = alive.generation AND o.status = 'queued' AND o.claimed_at IS NULL`,
          [alive.map((row) => row.id), alive.map((row) => row.generation)],
        );
      }
      if (lost.length) {
        // Only if nothing touched the row since it was read (a send that just finished, another ticker).
        const renewed = returned<QueuedRow>(
          await this.dataSource.query(
            `UPDATE outbox_message o SET generation = o.generation + 1, updated_at = now()
             FROM unnest($1::uuid[], $2::int[]) AS lost(id, generation)
             WHERE o.id = lost.id AND o.generation = lost.generation AND o.status = 'queued' AND o.claimed_at IS NULL
             RETURNING o.id, o.key, o.generation`,
            [lost.map((row) => row.id), lost.map((row) => row.generation)],
          ),
        );
        await this.enqueue(renewed);
        total += renewed.length;
      }
      if (rows.length < BATCH) return total;
      after = rows[rows.length - 1].id;
    }
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
