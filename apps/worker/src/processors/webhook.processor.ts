import { BeforeApplicationShutdown, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '@luotsi/config';
import { WebhookSender } from '@luotsi/domain';
import { JobName, JobNameOf, JobPayloads, KeptScheduler, QueueName } from '@luotsi/queue';

const SWEEP_SCHEDULER = 'sweep-webhooks-every-minute';
const SWEEP_EVERY_MS = 60_000;

/** The webhooks queue: one job per delivery row, and a sweep that re-queues deliveries Redis lost. */
@Processor(QueueName.Webhooks)
export class WebhookProcessor
  extends WorkerHost
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly scheduler: KeptScheduler<JobName.SweepWebhooks>;

  constructor(
    private readonly sender: WebhookSender,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Webhooks) queue: Queue,
  ) {
    super();
    this.scheduler = new KeptScheduler(queue, SWEEP_SCHEDULER, SWEEP_EVERY_MS, {
      name: JobName.SweepWebhooks,
      data: {},
    });
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduler.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.scheduler.stop();
    await this.worker.close();
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobNameOf<QueueName.Webhooks>;
    switch (name) {
      case JobName.DeliverWebhook: {
        const { deliveryId } = job.data as JobPayloads[JobName.DeliverWebhook];
        // On the last attempt a failure is recorded as final instead of thrown.
        const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        return this.sender.deliver(deliveryId, { final });
      }
      case JobName.SweepWebhooks:
        return this.sender.sweep();
      default: {
        const unknown: never = name;
        throw new Error(`No handler for job ${String(unknown)}`);
      }
    }
  }
}
