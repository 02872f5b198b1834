import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { AppConfig } from '@luotsi/config';
import { DeliveryService } from '@luotsi/domain';
import { JobName, JobNameOf, JobPayloads, QueueName, queueConnection } from '@luotsi/queue';
import { isLastAttempt, noHandler } from './job-handling';

/**
 * The delivery queue. Built by hand rather than with @Processor because its rate limiter (the mail
 * provider's limit, shared by every worker through Redis) comes from configuration.
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryProcessor.name);
  /** The BullMQ worker, once booted (the demo tunes how long it idles). */
  worker?: Worker;

  constructor(
    private readonly delivery: DeliveryService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker(QueueName.Delivery, (job) => this.process(job), {
      connection: queueConnection(this.config),
      prefix: this.config.redis.queuePrefix,
      concurrency: this.config.worker.concurrency,
      // BullMQ's limiter serialises fetching, so it is only set when a provider limit is configured.
      ...(this.config.mail.ratePerSecond
        ? { limiter: { max: this.config.mail.ratePerSecond, duration: 1000 } }
        : {}),
      lockDuration: this.config.worker.lockMs,
      stalledInterval: this.config.worker.lockMs,
    });
    this.worker.on('error', (error) => this.logger.error(error));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobNameOf<QueueName.Delivery>;
    switch (name) {
      case JobName.SendMessage: {
        const { outboxId, generation } = job.data as JobPayloads[JobName.SendMessage];
        return this.delivery.deliver(outboxId, generation, { final: isLastAttempt(job) });
      }
      default:
        return noHandler(name);
    }
  }
}
