import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '@luotsi/config';
import { HeartbeatService } from '@luotsi/domain';
import { JobName, JobNameOf, JobPayloads, KeptScheduler, QueueName } from '@luotsi/queue';

const SCHEDULED_HEARTBEAT = 'heartbeat-every-interval';

/**
 * The maintenance queue. Thin: each job becomes one call on a domain service; errors propagate so
 * BullMQ retries with backoff.
 */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor
  extends WorkerHost
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(MaintenanceProcessor.name);

  private readonly scheduler: KeptScheduler<JobName.Heartbeat>;

  constructor(
    private readonly heartbeats: HeartbeatService,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Maintenance) queue: Queue,
  ) {
    super();
    this.scheduler = new KeptScheduler(queue, SCHEDULED_HEARTBEAT, config.worker.heartbeatEveryMs, {
      name: JobName.Heartbeat,
      data: {},
    });
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  /** The worker's own proof of life, which /health reads. */
  async onApplicationBootstrap(): Promise<void> {
    await this.scheduler.start();
  }

  /** Stop taking jobs and let the running ones finish while the database is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    this.scheduler.stop();
    await this.worker.close();
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
      default: {
        const unknown: never = name;
        this.logger.error(`No handler for job ${String(unknown)}`);
        throw new Error(`No handler for job ${String(unknown)}`);
      }
    }
  }
}
