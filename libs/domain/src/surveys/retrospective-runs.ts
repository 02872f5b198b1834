import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AnonymityMode, Retrospective } from '@luotsi/database';
import { Clock } from '../common/clock';
import { ConflictError } from '../common/errors';
import { Reactions } from '../common/reactions';
import { MailDue, OutboxMail, OutboxService } from '../delivery';
import { PilotService } from '../pilots';
import type { Question } from './question-set';
import { AnswerBatches } from './answer-batches';
import { AnswersStore } from './answers.store';
import { SurveysStore } from './surveys.store';

export const BUILTIN_SET_REF = 'builtin:end-of-quarter';
export const DEFAULT_MIN_GROUP_SIZE = 5;
export const MIN_GROUP_SIZE_FLOOR = 3;

export interface RunOptions {
  questionSetRef: string;
  questions: Question[];
  anonymity: AnonymityMode;
  minGroupSize: number;
}

/**
 * Which step the invitation or reminder mail is of, and when it goes: at a cadence step's local send
 * time, or right now.
 */
export interface MailTiming {
  stepKey: string;
  due: MailDue;
}

/**
 * The workings of retrospective runs that both the coach's API and the cadence use: open a run with
 * its invitations, send invitations and reminders through the outbox, close it. No tenancy here: the
 * callers have scoped the quarter already.
 */
@Injectable()
export class RetrospectiveRuns {
  constructor(
    private readonly clock: Clock,
    private readonly answers: AnswerBatches,
    private readonly reactions: Reactions,
    private readonly outbox: OutboxService,
    private readonly store: SurveysStore,
    private readonly invitations: AnswersStore,
    private readonly pilots: PilotService,
  ) {}

  forQuarter(manager: EntityManager, quarterId: string): Promise<Retrospective | null> {
    return this.store.runForQuarter(manager, quarterId);
  }

  /**
   * Opens the quarter's run and invites every participant of the pilot who has not unsubscribed. Each
   * invitation keeps the person's level and language as they are now: the answer counts there.
   */
  async open(manager: EntityManager, quarterId: string, options: RunOptions): Promise<Retrospective> {
    const quarter = (await this.pilots.lockQuarter(quarterId, manager))!;
    if (quarter.state !== 'active')
      throw new ConflictError(
        `The quarter is ${quarter.state}; only an active quarter's retrospective can open.`,
      );
    const now = this.clock.now();
    const inserted = await this.store.insertRun(manager, {
      workspaceId: quarter.workspaceId,
      quarterId: quarter.id,
      pilotId: quarter.pilotId,
      organizationId: quarter.organizationId,
      questionSetRef: options.questionSetRef,
      questions: options.questions,
      anonymity: options.anonymity,
      minGroupSize: Math.max(MIN_GROUP_SIZE_FLOOR, options.minGroupSize),
      openedAt: now,
      closesAt: quarter.endsAt,
    });
    if (!inserted) throw new ConflictError("The quarter's retrospective is already open or done.");
    const run = await this.store.runById(manager, inserted);
    await this.invitations.invite(manager, run);
    return run;
  }

  /**
   * Outbox rows for the run's invitations (or, with `onlyOpen`, reminders to those who have not
   * answered). The link itself is minted when each mail is sent, so no token is ever stored raw.
   */
  async sendInvitations(
    manager: EntityManager,
    run: Retrospective,
    timing: MailTiming,
    onlyOpen: boolean,
    /** Only these people (a reminder the coach addressed); everyone when left out. */
    participantIds?: string[],
  ): Promise<number> {
    const mail: OutboxMail = {
      workspaceId: run.workspaceId,
      quarterId: run.quarterId,
      pilotId: run.pilotId,
      kind: onlyOpen ? 'retrospective_reminder' : 'retrospective_open',
      template: onlyOpen ? 'retrospective-reminder' : 'retrospective-invitation',
      origin: { stepKey: timing.stepKey },
      due: timing.due,
    };
    return this.outbox.fanOut(
      mail,
      { invitationsOf: run.id, unanswered: onlyOpen, only: participantIds },
      manager,
    );
  }

  /**
   * Closes the run: links stop working, and invitation mail not yet sent never goes. What follows a
   * close (`retrospective.closed`, e.g. the quarter's learning report) happens in the same transaction.
   */
  async close(manager: EntityManager, run: Retrospective): Promise<Retrospective> {
    const now = this.clock.now();
    await this.store.markClosed(manager, run.id, now);
    await this.invitations.expireInvitations(manager, run.id, now);
    if (run.anonymity === 'anonymous') await this.seal(manager, run.id);
    await this.outbox.suppressWaiting(
      run.quarterId,
      ['retrospective_open', 'retrospective_reminder'],
      'the retrospective closed',
      manager,
    );
    await this.reactions.emit('retrospective.closed', manager, run);
    return this.store.runById(manager, run.id);
  }

  /**
   * While a run is open, an anonymous answer waits in `pending_answer` (written with its invitation's
   * `used` flag) until the worker moves it with at least k others. Sealing moves whatever still waits
   * and rewrites every answer and every invitation in one transaction, in random order, under new ids:
   * afterwards neither transaction ids, physical order nor ids relate an answer to an invitation.
   */
  private async seal(manager: EntityManager, runId: string): Promise<void> {
    await this.answers.seal(manager, runId);
    // Links keep answering "closed" after the seal: their tokens follow each person to the new row.
    await this.invitations.sealInvitations(manager, runId);
  }
}
