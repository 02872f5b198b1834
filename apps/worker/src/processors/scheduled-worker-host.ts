import { BeforeApplicationShutdown, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { JobName, KeptScheduler } from '@luotsi/queue';

/**
 * A queue's worker that also keeps a repeating job of that queue in place (the cadence tick, the
 * heartbeat, the webhook sweep). The scheduler starts once the app is up and stops before the worker
 * closes, so running jobs finish while the database is still open.
 */
export abstract class ScheduledWorkerHost<N extends JobName>
  extends WorkerHost
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly scheduler: KeptScheduler<N>;

  /** `concurrency` is left to BullMQ's default (1) where jobs must not overlap, as the tick. */
  protected constructor(
    queue: Queue,
    scheduled: ConstructorParameters<typeof KeptScheduler<N>>[3] & { id: string; everyMs: number },
    private readonly concurrency?: number,
  ) {
    super();
    const { id, everyMs, ...job } = scheduled;
    this.scheduler = new KeptScheduler(queue, id, everyMs, job);
  }

  onModuleInit(): void {
    if (this.concurrency) this.worker.concurrency = this.concurrency;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduler.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.scheduler.stop();
    await this.worker.close();
  }
}
