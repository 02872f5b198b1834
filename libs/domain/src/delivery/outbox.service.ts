import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { OutboxStatus, StepKind } from '@luotsi/database';
import { AppConfig } from '@luotsi/config';
import { JobName, JobProducer } from '@luotsi/queue';
import { Clock } from '../common/clock';
import { reconcileWaiting, WaitingRows } from '../common/job-reconciler';
import { BouncedMail, FailedMail, MailRecipients, OutboxMail, QueuedMail, SendLatency } from './outbox-mail';
import { OutboxStore } from './outbox.store';

const BATCH = 1000;

/**
 * The outbox, as the other features use it: mail fanned out to recipients they describe, mail that
 * will never go suppressed, and the rows moved onto the queue. Rows are the truth: a row that is due
 * becomes `queued` with a new generation and gets a job whose id is derived from its key and generation;
 * a `queued` row whose job was lost (Redis flushed, a worker killed mid-send) gets a new generation and
 * a new job.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly store: OutboxStore,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly producer: JobProducer,
    private readonly config: AppConfig,
  ) {}

  /**
   * Writes the mail for every recipient, in one statement, in the caller's transaction; a recipient who
   * has this mail already gets no second. Returns how many rows are new. Queued by the next tick, or
   * at once with `queueDue`.
   */
  fanOut(mail: OutboxMail, to: MailRecipients, manager?: EntityManager): Promise<number> {
    return this.store.fanOut(mail, to, manager);
  }

  /** A quarter's mail of these kinds not yet claimed will never go, for `reason`. */
  suppressWaiting(
    quarterId: string,
    kinds: StepKind[],
    reason: string,
    manager?: EntityManager,
  ): Promise<void> {
    return this.store.suppressWaiting({ quarterId, kinds }, reason, manager);
  }

  /** A quarter's mail, counted by step and status (what the coach sees of its deliveries). */
  countsByStep(
    workspaceId: string,
    quarterId: string,
  ): Promise<{ stepKey: string; status: OutboxStatus; n: number }[]> {
    return this.store.countsByStep(workspaceId, quarterId);
  }

  /** The quarter's failed mail, newest first, `limit` at most, with the address it went to. */
  failures(workspaceId: string, quarterId: string, limit: number): Promise<FailedMail[]> {
    return this.store.failures(workspaceId, quarterId, limit);
  }

  /** The quarter's mail that bounced, and that was not sent as its recipient's had bounced (`limit` of each). */
  bounces(workspaceId: string, quarterId: string, limit: number): Promise<BouncedMail[]> {
    return this.store.bounces(workspaceId, quarterId, limit);
  }

  /** When the quarter's next waiting mail is due; null when none waits. */
  nextDueAt(workspaceId: string, quarterId: string): Promise<Date | null> {
    return this.store.nextDueAt(workspaceId, quarterId);
  }

  /**
   * The quarter's failed mail (all, or these) pending again, due `now`, while its recipient exists;
   * returns how many. Queued by the next tick, or at once with `queueDue`.
   */
  retryFailed(
    workspaceId: string,
    quarterId: string,
    now: Date,
    ids: string[] | undefined,
    manager?: EntityManager,
  ): Promise<number> {
    return this.store.retryFailed(workspaceId, quarterId, now, ids, manager);
  }

  /** How many mails of each quarter failed for good (the quarters of one workspace). */
  failedByQuarter(workspaceId: string, quarterIds: string[]): Promise<Map<string, number>> {
    return this.store.failedByQuarter(workspaceId, quarterIds);
  }

  /**
   * Erasing a person: their mail not sent yet never will be, and what the rows said of a failure (it
   * often quotes the address) becomes `erased`. Returns the rows, whose keys still name the person.
   */
  forgetParticipant(
    workspaceId: string,
    participantId: string,
    erased: string,
    manager?: EntityManager,
  ): Promise<string[]> {
    return this.store.forgetParticipant(workspaceId, participantId, erased, manager);
  }

  /** Rows of erased people whose keys still name them (all, or of these), a page after `after` in id order. */
  erasedNotCleared(ids: string[] | undefined, after: string, limit: number): Promise<QueuedMail[]> {
    return this.store.erasedNotCleared(ids, after, limit);
  }

  /** The person's id out of these rows' keys, once Redis holds no job under them; returns how many. */
  clearErasedKeys(ids: string[], manager?: EntityManager): Promise<number> {
    return this.store.clearErasedKeys(ids, manager);
  }

  /** Every workspace's mail by status, for the operator's metrics. */
  countsByStatus(): Promise<{ status: OutboxStatus; n: number }[]> {
    return this.store.countsByStatus();
  }

  /** Seconds from due to sent of all sent mail, as a histogram, for the operator's metrics. */
  sendLatency(): Promise<SendLatency> {
    return this.store.sendLatency();
  }

  /** Retention: finished mail due before `cutoff`, up to `limit` rows; how many went. */
  purgeFinished(cutoff: Date, limit: number): Promise<number> {
    return this.store.purgeFinished(cutoff, limit);
  }

  /** Queues every pending or deferred row that is due, in batches; returns how many. */
  async queueDue(): Promise<number> {
    let total = 0;
    for (;;) {
      // One statement per batch: the update commits before the jobs exist, so a job never finds its row unqueued.
      const rows = await this.store.queueDue(this.clock.now(), BATCH);
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
    const abandoned = await this.store.renewAbandoned(
      new Date(this.clock.now().getTime() - this.config.mail.claimTimeoutMs),
    );
    await this.enqueue(abandoned);
    const lost = await reconcileWaiting(this.dataSource, this.producer, QUEUED_MAIL, olderThanMs);
    return abandoned.length + lost;
  }

  private async enqueue(rows: QueuedMail[]): Promise<void> {
    await this.producer.enqueueMany(JobName.SendMessage, rows.map(QUEUED_MAIL.payload));
  }
}

/** Queued mail not claimed waits on its send job (for `reconcileWaiting`). */
const QUEUED_MAIL: WaitingRows<JobName.SendMessage, QueuedMail> = {
  table: 'outbox_message',
  waiting: `t.status = 'queued' AND t.claimed_at IS NULL`,
  columns: ['key'],
  job: JobName.SendMessage,
  payload: (row) => ({ outboxId: row.id, key: row.key, generation: row.generation }),
};
