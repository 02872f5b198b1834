import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '@luotsi/config';
import { WebhookSender } from '@luotsi/domain';
import { JobName, JobNameOf, JobPayloads, QueueName } from '@luotsi/queue';
import { ScheduledWorkerHost } from './scheduled-worker-host';
import { isLastAttempt, noHandler } from './job-handling';

const SWEEP_SCHEDULER = 'sweep-webhooks-every-minute';
const SWEEP_EVERY_MS = 60_000;

/** The webhooks queue: one job per delivery row, and a sweep that re-queues deliveries Redis lost. */
@Processor(QueueName.Webhooks)
export class WebhookProcessor extends ScheduledWorkerHost<JobName.SweepWebhooks> {
  constructor(
    private readonly sender: WebhookSender,
    config: AppConfig,
    @InjectQueue(QueueName.Webhooks) queue: Queue,
  ) {
    super(
      queue,
      { id: SWEEP_SCHEDULER, everyMs: SWEEP_EVERY_MS, name: JobName.SweepWebhooks, data: {} },
      config.worker.concurrency,
    );
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobNameOf<QueueName.Webhooks>;
    switch (name) {
      case JobName.DeliverWebhook: {
        const { deliveryId, generation } = job.data as JobPayloads[JobName.DeliverWebhook];
        return this.sender.deliver(deliveryId, generation, { final: isLastAttempt(job) });
      }
      case JobName.SweepWebhooks:
        return this.sender.sweep();
      default:
        return noHandler(name);
    }
  }
}
