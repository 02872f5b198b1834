import { Injectable } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import { CadenceScheduler } from './cadence-scheduler';
import { OutboxService } from '../delivery/outbox.service';

export interface TickResult {
  dispatched: number;
  queued: number;
  requeued: number;
}

/**
 * One beat of the scheduler: dispatch the steps whose day has come, queue the mail that is due, and
 * queue again what Redis lost. Safe to run on many workers at once.
 */
@Injectable()
export class CadenceTicker {
  constructor(
    private readonly scheduler: CadenceScheduler,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  async tick(options: { requeueAfterMs?: number } = {}): Promise<TickResult> {
    const dispatched = await this.scheduler.dispatchDue();
    const queued = await this.outbox.queueDue();
    const requeued = await this.outbox.requeueStale(
      options.requeueAfterMs ?? this.config.cadence.requeueAfterMs,
    );
    return { dispatched, queued, requeued };
  }
}
