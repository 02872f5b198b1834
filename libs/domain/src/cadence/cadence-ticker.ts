import { Injectable } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import { CadenceScheduler } from './cadence-scheduler';
import { OutboxService } from '../delivery';
import { BEAT_WORK, BeatWork, Reactions } from '../common/reactions';

/**
 * What a beat did: steps dispatched, mail queued and queued again, and the other features' catching up
 * (`BEAT_WORK`): pilots moved on to their next quarter as the last one ended (`quartersAdvanced`), the
 * planning dialogue's daily digests of the days that ended written to the outbox (`planningDigestsQueued`), report builds whose job was lost, queued anew (`reportsRequeued`); anonymous answers
 * moved from waiting into their runs, batches a lost job left (`answersMoved`); mail rows of erased people
 * whose send jobs were cleared from Redis, what an erasure left (`erasedMailCleared`).
 */
export type TickResult = { dispatched: number; queued: number; requeued: number } & Record<BeatWork, number>;

/** The beat's work done before the steps are dispatched and the mail is queued, in this order. */
const BEFORE_MAIL: readonly BeatWork[] = ['quartersAdvanced', 'planningDigestsQueued'];

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
    const after = options.requeueAfterMs ?? this.config.cadence.requeueAfterMs;
    const caughtUp = {} as Record<BeatWork, number>;
    // Quarters move on first, so a new quarter's first steps are dispatched in the same beat; the
    // planning digests are written before the mail is queued, so a digest that is due goes in this beat.
    for (const work of BEFORE_MAIL) caughtUp[work] = await this.reactions.beatHandler(work)(after);
    const dispatched = await this.scheduler.dispatchDue();
    const queued = await this.outbox.queueDue();
    const requeued = await this.outbox.requeueStale(after);
    for (const work of BEAT_WORK)
      if (!BEFORE_MAIL.includes(work)) caughtUp[work] = await this.reactions.beatHandler(work)(after);
    return { dispatched, queued, requeued, ...caughtUp };
  }
}
