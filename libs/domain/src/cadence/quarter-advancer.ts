import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { OnBeat } from '../common/reactions';
import { OutboxService } from '../delivery';
import { PilotService } from '../pilots';

/** The key of the review reminder among a quarter's mail: one per quarter and coach. */
export const REVIEW_REMINDER_KEY = 'review-reminder';

/**
 * Quarters that move themselves: on each beat, a running pilot whose active quarter has ended moves on
 * to its next quarter, as the coach's `advance` would, so the next quarter's kickoff goes on its first
 * day. A pilot set to wait for review, or in its last quarter, stays where it is (the portfolio shows it
 * waiting) and its coach gets one reminder mail for that quarter.
 */
@Injectable()
export class QuarterAdvancer {
  constructor(
    private readonly pilots: PilotService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** Returns how many pilots moved on; the reminders are mail rows, queued as the beat goes on. */
  @OnBeat('quartersAdvanced')
  async advanceEnded(): Promise<number> {
    const { advanced, waiting } = await this.pilots.advanceEnded();
    for (const quarter of waiting) {
      if (!quarter.coachId) continue;
      await this.outbox.fanOut(
        {
          workspaceId: quarter.workspaceId,
          quarterId: quarter.quarterId,
          pilotId: quarter.pilotId,
          kind: 'prompt',
          template: 'review-reminder',
          origin: { stepKey: REVIEW_REMINDER_KEY },
          due: { at: this.clock.now() },
        },
        { members: [quarter.coachId] },
      );
    }
    return advanced;
  }
}
