import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { JobName, JobPayloads, JOBS, QueueName } from './queue-catalogue';

/**
 * The one way to enqueue. Call it after the transaction that wrote the row has committed; the job id
 * comes from the row's natural key, so a retried enqueue never makes a second job.
 */
@Injectable()
export class JobProducer {
  private readonly queues: Record<QueueName, Queue>;

  constructor(@InjectQueue(QueueName.Maintenance) maintenance: Queue) {
    this.queues = { [QueueName.Maintenance]: maintenance };
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: { delayMs?: number } = {},
  ): Promise<string> {
    const definition = JOBS[name];
    const jobId = definition.jobId(payload);
    await this.queues[definition.queue].add(name, payload, {
      ...definition.options,
      jobId,
      delay: options.delayMs,
    });
    return jobId;
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }
}
