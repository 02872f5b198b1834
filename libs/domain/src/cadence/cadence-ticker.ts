import { Injectable } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import { CadenceScheduler } from './cadence-scheduler';
import { OutboxService } from '../delivery';
import { ReportReconciler } from '../reports/report-reconciler';
import { ParticipantService } from '../participants';
import { AnswerBatches } from '../surveys/answer-batches';

export interface TickResult {
  dispatched: number;
  queued: number;
  requeued: number;
  /** Report builds whose job was lost, queued anew. */
  reportsRequeued: number;
  /** Mail rows of erased people whose send jobs were cleared from Redis (what an erasure left). */
  erasedMailCleared: number;
  /** Anonymous answers moved from waiting into their runs (batches a lost job left). */
  answersMoved: number;
}

/**
 * One beat of the scheduler: dispatch the steps whose day has come, queue the mail that is due, and
 * queue again what Redis lost (mail and report builds), and move the anonymous answers that have waited
 * for a batch whose job never ran. Safe to run on many workers at once.
 */
@Injectable()
export class CadenceTicker {
  constructor(
    private readonly scheduler: CadenceScheduler,
    private readonly outbox: OutboxService,
    private readonly reports: ReportReconciler,
    private readonly participants: ParticipantService,
    private readonly answers: AnswerBatches,
    private readonly config: AppConfig,
  ) {}

  async tick(options: { requeueAfterMs?: number } = {}): Promise<TickResult> {
    const dispatched = await this.scheduler.dispatchDue();
    const queued = await this.outbox.queueDue();
    const after = options.requeueAfterMs ?? this.config.cadence.requeueAfterMs;
    const requeued = await this.outbox.requeueStale(after);
    const reportsRequeued = await this.reports.requeueStale(after);
    const answersMoved = await this.answers.sweep();
    const erasedMailCleared = (await this.participants.sweepErasedMail()).cleared;
    return { dispatched, queued, requeued, reportsRequeued, answersMoved, erasedMailCleared };
  }
}
