import { Logger } from '@nestjs/common';
import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '@luotsi/config';
import { AnswerBatches, HeartbeatService, ParticipantService } from '@luotsi/domain';
import { JobName, JobNameOf, JobPayloads, QueueName } from '@luotsi/queue';
import { ScheduledWorkerHost } from './scheduled-worker-host';
import { noHandler } from './job-handling';

const SCHEDULED_HEARTBEAT = 'heartbeat-every-interval';

/**
 * The maintenance queue, and the worker's own proof of life (a heartbeat every interval), which /health
 * reads. Thin: each job becomes one call on a domain service; errors propagate so BullMQ retries.
 */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends ScheduledWorkerHost<JobName.Heartbeat> {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly heartbeats: HeartbeatService,
    private readonly participants: ParticipantService,
    private readonly answers: AnswerBatches,
    config: AppConfig,
    @InjectQueue(QueueName.Maintenance) queue: Queue,
  ) {
    super(
      queue,
      { id: SCHEDULED_HEARTBEAT, everyMs: config.worker.heartbeatEveryMs, name: JobName.Heartbeat, data: {} },
      config.worker.concurrency,
    );
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobNameOf<QueueName.Maintenance>;
    switch (name) {
      case JobName.Heartbeat: {
        const data = job.data as JobPayloads[JobName.Heartbeat];
        // Scheduled beats have no key of their own: the iteration's job id is unique.
        const outcome = await this.heartbeats.consume(
          data.key ?? String(job.id),
          data.holdMs ?? 0,
          process.pid,
        );
        if (!data.key) await this.heartbeats.prune();
        return outcome;
      }
      case JobName.MoveAnswers: {
        const { retrospectiveId } = job.data as JobPayloads[JobName.MoveAnswers];
        return { moved: await this.answers.move(retrospectiveId) };
      }
      case JobName.ForgetErasedMail: {
        // Throws while one of the person's send jobs still runs, so BullMQ tries again.
        const { outboxIds } = job.data as JobPayloads[JobName.ForgetErasedMail];
        return this.participants.clearErasedMail(outboxIds);
      }
      default:
        return noHandler(name, this.logger);
    }
  }
}
