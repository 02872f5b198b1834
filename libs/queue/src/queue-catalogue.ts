import type { JobsOptions } from 'bullmq';

/**
 * The queue catalogue: every queue, every job, its payload and its options, in one place.
 * Never rename a queue or a job: jobs already in Redis would be orphaned.
 */
export enum QueueName {
  Maintenance = 'maintenance',
  Cadence = 'cadence',
  Delivery = 'delivery',
  Reports = 'reports',
  Webhooks = 'webhooks',
}

export enum JobName {
  Heartbeat = 'heartbeat',
  CadenceTick = 'cadence-tick',
  SendMessage = 'send-message',
  BuildReport = 'build-report',
  DeliverWebhook = 'deliver-webhook',
  SweepWebhooks = 'sweep-webhooks',
  ForgetErasedMail = 'forget-erased-mail',
  MoveAnswers = 'move-answers',
}

/** Payloads carry ids and natural keys only; the processor loads the row, which is the truth. */
export interface JobPayloads {
  /** `key` names a beat recorded by the API; scheduled beats have none. `holdMs` lets a drain be observed. */
  [JobName.Heartbeat]: { key?: string; holdMs?: number };
  /** Dispatch due cadence steps, queue due outbox rows, re-queue what Redis lost. */
  [JobName.CadenceTick]: Record<string, never>;
  /** One outbox row; `generation` changes each time the row is queued anew. */
  [JobName.SendMessage]: { outboxId: string; key: string; generation: number };
  /** Builds one learning or readiness report row; `generation` changes with each build request. */
  [JobName.BuildReport]: { kind: 'learning' | 'readiness'; reportId: string; generation: number };
  /** One webhook_delivery row: one event for one endpoint; `generation` changes when it is queued anew. */
  [JobName.DeliverWebhook]: { deliveryId: string; generation: number };
  /** Re-queue pending webhook deliveries whose jobs Redis no longer holds. */
  [JobName.SweepWebhooks]: Record<string, never>;
  /**
   * Clear what Redis holds of an erased person's mail (these rows' send jobs and their events); retried
   * while one of those jobs is still running. Outbox ids only: the person is gone.
   */
  [JobName.ForgetErasedMail]: { outboxIds: string[] };
  /**
   * Move an anonymous run's waiting answers into its answers once at least k wait; `moved` is how many
   * the run held when it was asked, so each batch has a job of its own.
   */
  [JobName.MoveAnswers]: { retrospectiveId: string; moved: number };
}

/** Which queue each job runs on. */
export const JOB_QUEUES = {
  [JobName.Heartbeat]: QueueName.Maintenance,
  [JobName.CadenceTick]: QueueName.Cadence,
  [JobName.SendMessage]: QueueName.Delivery,
  [JobName.BuildReport]: QueueName.Reports,
  [JobName.DeliverWebhook]: QueueName.Webhooks,
  [JobName.SweepWebhooks]: QueueName.Webhooks,
  [JobName.ForgetErasedMail]: QueueName.Maintenance,
  [JobName.MoveAnswers]: QueueName.Maintenance,
} as const satisfies Record<JobName, QueueName>;

/** The jobs of one queue, for a processor's exhaustive switch. */
export type JobNameOf<Q extends QueueName> = {
  [N in JobName]: (typeof JOB_QUEUES)[N] extends Q ? N : never;
}[JobName];

export interface JobDefinition<N extends JobName> {
  queue: (typeof JOB_QUEUES)[N];
  /** The BullMQ job id, derived from the payload's natural key, so enqueuing twice adds one job. */
  jobId: (payload: JobPayloads[N]) => string;
  options: JobsOptions;
}

const retried: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export const JOBS: { [N in JobName]: JobDefinition<N> } = {
  [JobName.Heartbeat]: {
    queue: JOB_QUEUES[JobName.Heartbeat],
    jobId: ({ key }) => `heartbeat.${key ?? 'scheduled'}`,
    options: { ...retried, attempts: 3 },
  },
  [JobName.CadenceTick]: {
    queue: JOB_QUEUES[JobName.CadenceTick],
    jobId: () => 'cadence-tick',
    options: { attempts: 1, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } },
  },
  [JobName.SendMessage]: {
    queue: JOB_QUEUES[JobName.SendMessage],
    jobId: ({ key, generation }) => `send.${key}.${generation}`,
    // attempts and backoff come from the MAIL_RETRY_* settings (see JobProducer).
    options: retried,
  },
  [JobName.BuildReport]: {
    queue: JOB_QUEUES[JobName.BuildReport],
    jobId: ({ kind, reportId, generation }) => `report.${kind}.${reportId}.${generation}`,
    options: { ...retried, attempts: 5 },
  },
  [JobName.DeliverWebhook]: {
    queue: JOB_QUEUES[JobName.DeliverWebhook],
    jobId: ({ deliveryId, generation }) => `webhook.${deliveryId}.${generation}`,
    // attempts and backoff come from the WEBHOOK_RETRY_* settings (see JobProducer).
    options: retried,
  },
  [JobName.SweepWebhooks]: {
    queue: JOB_QUEUES[JobName.SweepWebhooks],
    jobId: () => 'sweep-webhooks',
    options: { attempts: 1, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } },
  },
  [JobName.ForgetErasedMail]: {
    queue: JOB_QUEUES[JobName.ForgetErasedMail],
    // One erasure's rows (a person's mail), named by the first of them and how many there are.
    jobId: ({ outboxIds }) => `erased-mail.${[...outboxIds].sort()[0]}.${outboxIds.length}`,
    // From a second, doubling: a send in flight ends within its timeout. The scheduler's beat clears
    // whatever a job that ran out of attempts (or never got queued) left.
    options: {
      attempts: 12,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  },
  [JobName.MoveAnswers]: {
    queue: JOB_QUEUES[JobName.MoveAnswers],
    jobId: ({ retrospectiveId, moved }) => `answers.${retrospectiveId}.${moved}`,
    // The scheduler's beat moves what a failed job left.
    options: { ...retried, attempts: 5 },
  },
};

export const QUEUE_NAMES = Object.values(QueueName);
