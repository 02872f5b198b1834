import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AnonymityMode, Retrospective } from '@luotsi/database';
import { Clock } from '../common/clock';
import { ConflictError } from '../common/errors';
import { Reactions } from '../common/reactions';
import { returned } from '../common/sql';
import { MailDue, OutboxMail, OutboxService } from '../delivery';
import type { Question } from './question-set';
import { AnswerBatches } from './answer-batches';

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
  ) {}

  forQuarter(manager: EntityManager, quarterId: string): Promise<Retrospective | null> {
    return manager.findOne(Retrospective, { where: { quarterId }, lock: { mode: 'for_no_key_update' } });
  }

  /**
   * Opens the quarter's run and invites every participant of the pilot who has not unsubscribed. Each
   * invitation keeps the person's level and language as they are now: the answer counts there.
   */
  async open(manager: EntityManager, quarterId: string, options: RunOptions): Promise<Retrospective> {
    const [quarter] = await manager.query(
      `SELECT q.id, q.workspace_id, q.pilot_id, q.organization_id, q.ends_at, q.state FROM quarter q WHERE q.id = $1 FOR UPDATE`,
      [quarterId],
    );
    if (quarter.state !== 'active')
      throw new ConflictError(
        `The quarter is ${quarter.state}; only an active quarter's retrospective can open.`,
      );
    const now = this.clock.now();
    const inserted = returned<{ id: string }>(
      await manager.query(
        `INSERT INTO retrospective (workspace_id, quarter_id, pilot_id, organization_id, question_set_ref, questions,
                                    anonymity, min_group_size, state, opened_at, closes_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, 'open', $9, $10)
         ON CONFLICT (quarter_id) DO NOTHING RETURNING id`,
        [
          quarter.workspace_id,
          quarter.id,
          quarter.pilot_id,
          quarter.organization_id,
          options.questionSetRef,
          JSON.stringify(options.questions),
          options.anonymity,
          Math.max(MIN_GROUP_SIZE_FLOOR, options.minGroupSize),
          now,
          quarter.ends_at,
        ],
      ),
    );
    if (!inserted.length) throw new ConflictError("The quarter's retrospective is already open or done.");
    const run = await manager.findOneByOrFail(Retrospective, { id: inserted[0].id });
    await manager.query(
      `INSERT INTO invitation (workspace_id, retrospective_id, participant_id, expires_at, level, locale)
       SELECT $1, $2, m.participant_id, $3, p.level, p.locale
       FROM pilot_membership m JOIN participant p ON p.id = m.participant_id
       WHERE m.pilot_id = $4 AND p.unsubscribed_at IS NULL
       ON CONFLICT (retrospective_id, participant_id) DO NOTHING`,
      [run.workspaceId, run.id, run.closesAt, run.pilotId],
    );
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
    await manager.query(`UPDATE retrospective SET state = 'closed', closed_at = $2 WHERE id = $1`, [
      run.id,
      now,
    ]);
    await manager.query(
      `UPDATE invitation SET expires_at = least(expires_at, $2) WHERE retrospective_id = $1`,
      [run.id, now],
    );
    if (run.anonymity === 'anonymous') await this.seal(manager, run.id);
    await this.outbox.suppressWaiting(
      run.quarterId,
      ['retrospective_open', 'retrospective_reminder'],
      'the retrospective closed',
      manager,
    );
    await this.reactions.emit('retrospective.closed', manager, run);
    return manager.findOneByOrFail(Retrospective, { id: run.id });
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
    await manager.query(
      `CREATE TEMP TABLE sealed_token ON COMMIT DROP AS
       SELECT t.token_hash, i.participant_id FROM invitation_token t JOIN invitation i ON i.id = t.invitation_id
       WHERE i.retrospective_id = $1 AND i.participant_id IS NOT NULL`,
      [runId],
    );
    await manager.query(
      `WITH old AS (
         DELETE FROM invitation WHERE retrospective_id = $1
         RETURNING workspace_id, retrospective_id, participant_id, expires_at, used, level, locale)
       INSERT INTO invitation (workspace_id, retrospective_id, participant_id, expires_at, used, level, locale)
       SELECT * FROM old ORDER BY random()`,
      [runId],
    );
    await manager.query(
      `INSERT INTO invitation_token (token_hash, invitation_id)
       SELECT t.token_hash, i.id FROM sealed_token t JOIN invitation i ON i.participant_id = t.participant_id AND i.retrospective_id = $1`,
      [runId],
    );
  }
}
