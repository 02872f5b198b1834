import type { Queue } from 'bullmq';
import { JobName, JobPayloads } from './queue-catalogue';

/**
 * A BullMQ job scheduler that a worker keeps in place. Upserting by name replaces rather than
 * duplicates, however many workers start; and since the scheduler lives in Redis, the worker checks
 * now and then and puts it back if Redis lost it.
 */
export class KeptScheduler<N extends JobName> {
  private watch?: NodeJS.Timeout;

  constructor(
    private readonly queue: Queue,
    private readonly id: string,
    private readonly everyMs: number,
    private readonly job: { name: N; data: JobPayloads[N] },
  ) {}

  async start(checkEveryMs = Math.max(this.everyMs, 5_000)): Promise<void> {
    await this.upsert();
    this.watch = setInterval(() => {
      this.queue
        .getJobScheduler(this.id)
        .then((found) => (found ? undefined : this.upsert()))
        .catch(() => undefined);
    }, checkEveryMs);
  }

  stop(): void {
    clearInterval(this.watch);
  }

  private upsert() {
    return this.queue.upsertJobScheduler(
      this.id,
      { every: this.everyMs },
      { name: this.job.name, data: this.job.data },
    );
  }
}
