import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '@luotsi/config';
import { CadenceTicker } from '@luotsi/domain';
import { JobName, JobNameOf, QueueName } from '@luotsi/queue';
import { ScheduledWorkerHost } from './scheduled-worker-host';
import { noHandler } from './job-handling';

const TICK_SCHEDULER = 'cadence-tick-every-interval';

/**
 * The cadence queue: a repeating tick that keeps every quarter's rhythm. It runs every CADENCE_TICK_MS,
 * once across all workers (one at a time: concurrency 1); a lost scheduler is put back.
 */
@Processor(QueueName.Cadence)
export class CadenceProcessor extends ScheduledWorkerHost<JobName.CadenceTick> {
  constructor(
    private readonly ticker: CadenceTicker,
    config: AppConfig,
    @InjectQueue(QueueName.Cadence) queue: Queue,
  ) {
    super(queue, { id: TICK_SCHEDULER, everyMs: config.cadence.tickMs, name: JobName.CadenceTick, data: {} });
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobNameOf<QueueName.Cadence>;
    switch (name) {
      case JobName.CadenceTick:
        return this.ticker.tick();
      default:
        return noHandler(name);
    }
  }
}
