import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '@luotsi/config';
import { CadenceTicker } from '@luotsi/domain';
import { JobName, JobNameOf, JobPayloads, QueueName } from '@luotsi/queue';

const TICK_SCHEDULER = 'cadence-tick-every-interval';

/** The cadence queue: a repeating tick that keeps every quarter's rhythm. */
@Processor(QueueName.Cadence)
export class CadenceProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  constructor(
    private readonly ticker: CadenceTicker,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Cadence) private readonly queue: Queue,
  ) {
    super();
  }

  private watch?: NodeJS.Timeout;

  /**
   * One scheduler however many workers start: upserting by name replaces, never duplicates. The
   * scheduler lives in Redis, so a worker puts it back if Redis lost it; the tick then re-queues the mail.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.upsertScheduler();
    this.watch = setInterval(
      () => {
        this.queue
          .getJobScheduler(TICK_SCHEDULER)
          .then((found) => (found ? undefined : this.upsertScheduler()))
          .catch(() => undefined);
      },
      Math.max(this.config.cadence.tickMs, 5_000),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.watch);
    await this.worker.close();
  }

  private upsertScheduler() {
    return this.queue.upsertJobScheduler(
      TICK_SCHEDULER,
      { every: this.config.cadence.tickMs },
      { name: JobName.CadenceTick, data: {} satisfies JobPayloads[JobName.CadenceTick] },
    );
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobNameOf<QueueName.Cadence>;
    switch (name) {
      case JobName.CadenceTick:
        return this.ticker.tick();
      default: {
        const unknown: never = name;
        throw new Error(`No handler for job ${String(unknown)}`);
      }
    }
  }
}
