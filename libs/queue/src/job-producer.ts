import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { JobsOptions, JobState, Queue } from 'bullmq';
import { AppConfig } from '@luotsi/config';
import { JobName, JobPayloads, JOBS, QueueName } from './queue-catalogue';

const PENDING = new Set<JobState | 'unknown'>([
  'waiting',
  'delayed',
  'prioritized',
  'active',
  'waiting-children',
]);

/** How many events of a queue's stream are read at a time. */
const STREAM_PAGE = 1_000;

/** The stream commands of the Redis client BullMQ runs on (ioredis). */
interface StreamClient {
  xrange(key: string, start: string, end: string, count: 'COUNT', n: number): Promise<[string, string[]][]>;
  xdel(key: string, ...ids: string[]): Promise<number>;
}

/**
 * The one way to enqueue. Call it after the transaction that wrote the row has committed; the job id
 * comes from the row's natural key, so a retried enqueue never makes a second job.
 */
@Injectable()
export class JobProducer {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    @InjectQueue(QueueName.Cadence) cadence: Queue,
    @InjectQueue(QueueName.Delivery) delivery: Queue,
    @InjectQueue(QueueName.Reports) reports: Queue,
    @InjectQueue(QueueName.Webhooks) webhooks: Queue,
    private readonly config: AppConfig,
  ) {
    this.queues = {
      [QueueName.Maintenance]: maintenance,
      [QueueName.Cadence]: cadence,
      [QueueName.Delivery]: delivery,
      [QueueName.Reports]: reports,
      [QueueName.Webhooks]: webhooks,
    };
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: { delayMs?: number } = {},
  ): Promise<string> {
    const [jobId] = await this.enqueueMany(name, [payload], options);
    return jobId;
  }

  /** Adds many jobs of one kind in one round trip (a fan-out of thousands is one addBulk per batch). */
  async enqueueMany<N extends JobName>(
    name: N,
    payloads: JobPayloads[N][],
    options: { delayMs?: number } = {},
  ): Promise<string[]> {
    const definition = JOBS[name];
    const jobs = payloads.map((payload) => ({
      name,
      data: payload,
      opts: {
        ...definition.options,
        ...this.overrides(name),
        jobId: definition.jobId(payload),
        delay: options.delayMs,
      },
    }));
    if (jobs.length) await this.queues[definition.queue].addBulk(jobs);
    return jobs.map((job) => job.opts.jobId);
  }

  /**
   * Removes these jobs from Redis unless one is running right now. A finished or retrying job keeps
   * its failure reasons and stack traces (for weeks), and a mail server's refusal quotes the address.
   * Returns how many were removed.
   */
  async forget<N extends JobName>(name: N, payloads: JobPayloads[N][]): Promise<number> {
    const definition = JOBS[name];
    const queue = this.queues[definition.queue];
    // All at once: the removals go out back to back on one connection rather than a round trip each.
    const removed = await Promise.all(payloads.map((payload) => queue.remove(definition.jobId(payload))));
    return removed.reduce((sum, n) => sum + n, 0);
  }

  /**
   * Which of these jobs Redis still holds in any state (waiting, running, finished or failed): after
   * `forget`, a job still held is one that was running and so could not be removed.
   */
  async held<N extends JobName>(name: N, payloads: JobPayloads[N][]): Promise<boolean[]> {
    const definition = JOBS[name];
    const queue = this.queues[definition.queue];
    const states = await Promise.all(payloads.map((payload) => queue.getJobState(definition.jobId(payload))));
    return states.map((state) => state !== 'unknown');
  }

  /**
   * Removes what the queue's event stream says about these jobs (each event names its job id, and a
   * failure event its reason). Returns how many events were removed; 0 where the queue is not on Redis.
   */
  async forgetEvents<N extends JobName>(name: N, payloads: JobPayloads[N][]): Promise<number> {
    if (!payloads.length) return 0;
    const definition = JOBS[name];
    const queue = this.queues[definition.queue];
    const backend = queue.getBackend() as unknown as { client?: Promise<unknown> };
    const client = (await backend.client) as StreamClient | undefined;
    if (!client || typeof client.xrange !== 'function' || typeof client.xdel !== 'function') return 0;
    const ids = new Set(payloads.map((payload) => definition.jobId(payload)));
    const stream = queue.keys.events;
    let removed = 0;
    let start = '-';
    for (;;) {
      const entries = await client.xrange(stream, start, '+', 'COUNT', STREAM_PAGE);
      const matching = entries
        .filter(([, fields]) =>
          fields.some((value, i) => i % 2 === 1 && fields[i - 1] === 'jobId' && ids.has(value)),
        )
        .map(([id]) => id);
      if (matching.length) removed += await client.xdel(stream, ...matching);
      if (entries.length < STREAM_PAGE) return removed;
      start = `(${entries[entries.length - 1][0]}`;
    }
  }

  /**
   * Which of these jobs Redis still holds to run (waiting, delayed, prioritized or active). A job that
   * finished, failed for good or is gone (`unknown`, also a job hash left behind outside every list)
   * will not run again, and an add under its id would be ignored.
   */
  async pending<N extends JobName>(name: N, payloads: JobPayloads[N][]): Promise<boolean[]> {
    const definition = JOBS[name];
    const queue = this.queues[definition.queue];
    const states = await Promise.all(payloads.map((payload) => queue.getJobState(definition.jobId(payload))));
    return states.map((state) => PENDING.has(state));
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  /** Mail and webhook retries follow configuration: exponential from the base delay, with jitter. */
  private overrides(name: JobName): JobsOptions {
    const retry =
      name === JobName.SendMessage
        ? this.config.mail
        : name === JobName.DeliverWebhook
          ? this.config.webhooks
          : null;
    if (!retry) return {};
    return {
      attempts: retry.retryAttempts,
      backoff: { type: 'exponential', delay: retry.retryBaseMs, jitter: 0.5 },
    };
  }
}
