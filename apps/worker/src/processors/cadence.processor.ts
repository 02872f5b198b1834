import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '@luotsi/config';
import { CadenceTicker } from '@luotsi/domain';
import { JobName, JobNameOf, KeptScheduler, QueueName } from '@luotsi/queue';

const TICK_SCHEDULER = 'cadence-tick-every-interval';

/** The cadence queue: a repeating tick that keeps every quarter's rhythm. */
@Processor(QueueName.Cadence)
export class CadenceProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly scheduler: KeptScheduler<JobName.CadenceTick>;

  constructor(
    private readonly ticker: CadenceTicker,
    config: AppConfig,
    @InjectQueue(QueueName.Cadence) queue: Queue,
  ) {
    super();
    this.scheduler = new KeptScheduler(queue, TICK_SCHEDULER, config.cadence.tickMs, {
      name: JobName.CadenceTick,
      data: {},
    });
  }

  /** The tick runs every CADENCE_TICK_MS, once across all workers; a lost scheduler is put back. */
  async onApplicationBootstrap(): Promise<void> {
    await this.scheduler.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.scheduler.stop();
    await this.worker.close();
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
