import type { Job } from 'bullmq';

/**
 * Whether this run is the job's last attempt: a send or a webhook delivery then records a transient
 * failure as final instead of throwing it for another try.
 */
export const isLastAttempt = (job: Job): boolean => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/** The end of a processor's exhaustive switch: a job name its queue does not have. */
export function noHandler(name: never, logger?: { error(message: string): void }): never {
  const message = `No handler for job ${String(name)}`;
  logger?.error(message);
  throw new Error(message);
}
