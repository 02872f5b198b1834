import type { JobsOptions } from 'bullmq';

/**
 * The queue catalogue: every queue, every job, its payload and its options, in one place.
 * Never rename a queue or a job: jobs already in Redis would be orphaned.
 */
export enum QueueName {
  Maintenance = 'maintenance',
}

export enum JobName {
  Heartbeat = 'heartbeat',
}

/** Payloads carry ids and natural keys only; the processor loads the row, which is the truth. */
export interface JobPayloads {
  /** `key` names a beat recorded by the API; scheduled beats have none. `holdMs` lets a drain be observed. */
  [JobName.Heartbeat]: { key?: string; holdMs?: number };
}

export interface JobDefinition<N extends JobName> {
  queue: QueueName;
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
    queue: QueueName.Maintenance,
    jobId: ({ key }) => `heartbeat.${key ?? 'scheduled'}`,
    options: { ...retried, attempts: 3 },
  },
};

export const QUEUE_NAMES = Object.values(QueueName);
