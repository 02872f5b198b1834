import { Injectable } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import { CadenceScheduler } from './cadence-scheduler';
import { OutboxService } from '../delivery';
import { BEAT_WORK, BeatWork, Reactions } from '../common/reactions';

/**
 * What a beat did: steps dispatched, mail queued and queued again, and the other features' catching up
 * (`BEAT_WORK`): report builds whose job was lost, queued anew (`reportsRequeued`); anonymous answers
 * moved from waiting into their runs, batches a lost job left (`answersMoved`); mail rows of erased people
 * whose send jobs were cleared from Redis, what an erasure left (`erasedMailCleared`).
 */
export type TickResult = { dispatched: number; queued: number; requeued: number } & Record<BeatWork, number>;

/**
 * One beat of the scheduler: dispatch the steps whose day has come, queue the mail that is due, and
 * queue again the mail Redis lost, then each feature's declared share of catching up (`@OnBeat`: report
 * builds, anonymous answers waiting for a batch, erased people's mail). Safe to run on many workers at once.
 */
@Injectable()
export class CadenceTicker {
  constructor(
    private readonly scheduler: CadenceScheduler,
    private readonly outbox: OutboxService,
    private readonly reactions: Reactions,
    private readonly config: AppConfig,
  ) {}

  async tick(options: { requeueAfterMs?: number } = {}): Promise<TickResult> {
    const dispatched = await this.scheduler.dispatchDue();
    const queued = await this.outbox.queueDue();
    const after = options.requeueAfterMs ?? this.config.cadence.requeueAfterMs;
    const requeued = await this.outbox.requeueStale(after);
    const caughtUp = {} as Record<BeatWork, number>;
    for (const work of BEAT_WORK) caughtUp[work] = await this.reactions.beatHandler(work)(after);
    return { dispatched, queued, requeued, ...caughtUp };
  }
}
