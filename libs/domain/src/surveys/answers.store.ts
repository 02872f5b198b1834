import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AnonymityMode, Retrospective } from '@luotsi/database';
import { PageRequest } from '../common/page';
import { preparedStatement, returned } from '../common/sql';
import { ORGANIZATION_ROWS } from '../organizations/relations';
import { PILOT_ROWS, QUARTER_ROWS } from '../pilots/relations';
import { PARTICIPANT_ROWS, PILOT_MEMBERSHIP_ROWS } from '../participants/relations';
import type { AnswerOutcome, AnswerPost, InvitationRow } from './answer-rows';
import type { NamedResponse, NonResponder } from './retrospective-people';
import { RETROSPECTIVE_ROWS } from './relations';

/**
 * The invitation, locked, while its run is open and its links live; nothing when closed or expired.
 * The answer takes its level and language from here: as they were when the run opened.
 */
const LIVE = `SELECT i.id, i.level, i.locale FROM invitation i JOIN ${RETROSPECTIVE_ROWS} r ON r.id = i.retrospective_id
              WHERE i.id = $1 AND r.state = 'open' AND i.expires_at > $2 FOR UPDATE OF i`;

/** The day of the answer in the participant's time zone ($6) at $2: the day, never the time. */
const DAY = `($2::timestamptz AT TIME ZONE $6::text)::date`;

/**
 * Anonymous: the conditional update is the guard; only the post that flips `used` stores the answer.
 * It waits in `pending_answer` (no person, no invitation, no time) until it moves with at least k
 * others (see AnswerBatches); `waiting` counts the run's waiting answers, this one included.
 */
const SAVE_ANONYMOUS = `
  WITH live AS (${LIVE}),
  claimed AS (
    UPDATE invitation SET used = true WHERE id IN (SELECT id FROM live) AND NOT used RETURNING level, locale),
  saved AS (
    INSERT INTO pending_answer (workspace_id, retrospective_id, level, locale, answers)
    SELECT $3::uuid, $4::uuid, level, locale, $5::jsonb
    FROM claimed
    RETURNING 1)
  SELECT (SELECT count(*) FROM live)::int AS live, (SELECT count(*) FROM saved)::int AS saved,
         -- Counted up to k ($6) only: this answer completes a batch when it makes exactly k, and a post
         -- never reads more rows than that, however many wait while no worker moves them.
         (SELECT count(*) FROM (SELECT 1 FROM pending_answer WHERE retrospective_id = $4 LIMIT $6) w)::int
           + (SELECT count(*) FROM saved)::int AS waiting`;

/** Confidential and named: changed until close; the unique index keeps one answer per person. */
const SAVE_LINKED = `
  WITH live AS (${LIVE}),
  saved AS (
    INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
    SELECT $3::uuid, $4::uuid, $7::uuid, live.level, live.locale, $5::jsonb, ${DAY}
    FROM live
    ON CONFLICT (retrospective_id, participant_id) WHERE participant_id IS NOT NULL
    DO UPDATE SET answers = excluded.answers, level = excluded.level, locale = excluded.locale,
                  submitted_on = excluded.submitted_on
    RETURNING 1),
  flagged AS (UPDATE invitation SET used = true WHERE id IN (SELECT id FROM live) AND NOT used)
  SELECT (SELECT count(*) FROM live)::int AS live, (SELECT count(*) FROM saved)::int AS saved`;

/** The day of `$2` in the run's organization's time zone: the only time an anonymous answer carries. */
const DAY_OF = (run: string) =>
  `($2::timestamptz AT TIME ZONE (SELECT o.time_zone FROM ${RETROSPECTIVE_ROWS} r JOIN ${ORGANIZATION_ROWS} o ON o.id = r.organization_id
                                  WHERE r.id = ${run}))::date`;

/**
 * Moves a run's waiting answers, all of them, provided at least `$3` wait, in random order. The count
 * and the delete see the same snapshot, and the run's row lock keeps a second mover out, so the batch
 * is exactly what was counted. It touches no invitation.
 */
const MOVE = `
  WITH moved AS (
    DELETE FROM pending_answer
    WHERE retrospective_id = $1 AND (SELECT count(*) FROM pending_answer WHERE retrospective_id = $1) >= $3
    RETURNING workspace_id, retrospective_id, level, locale, answers)
  INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
  SELECT workspace_id, retrospective_id, NULL, level, locale, answers, ${DAY_OF('$1')}
  FROM moved ORDER BY random()
  RETURNING 1`;

/**
 * The close's rewrite of every answer of an anonymous run: those already moved and those still waiting,
 * all written anew in one random order under new ids, each with the day of the close, so not even the
 * day of its batch is left to tell answers apart.
 */
const SEAL = `
  WITH old AS (
    DELETE FROM retrospective_response WHERE retrospective_id = $1
    RETURNING workspace_id, retrospective_id, level, locale, answers),
  held AS (
    DELETE FROM pending_answer WHERE retrospective_id = $1
    RETURNING workspace_id, retrospective_id, level, locale, answers)
  INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
  SELECT workspace_id, retrospective_id, NULL, level, locale, answers, ${DAY_OF('$1')}
  FROM (SELECT * FROM old UNION ALL SELECT * FROM held) every
  ORDER BY random()`;

/**
 * The tables of invitations and answers (`invitation`, `invitation_token`, `retrospective_response`,
 * `pending_answer`): the only code that reads or writes them. An answer and its invitation's `used` flag
 * are one prepared statement; anonymous answers wait and move in batches (AnswerBatches).
 */
@Injectable()
export class AnswersStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Invites the pilot's participants who have not unsubscribed, with their level and language now. */
  async invite(manager: EntityManager, run: Retrospective): Promise<void> {
    await manager.query(
      `INSERT INTO invitation (workspace_id, retrospective_id, participant_id, expires_at, level, locale)
       SELECT $1, $2, m.participant_id, $3, p.level, p.locale
       FROM ${PILOT_MEMBERSHIP_ROWS} m JOIN ${PARTICIPANT_ROWS} p ON p.id = m.participant_id
       WHERE m.pilot_id = $4 AND p.unsubscribed_at IS NULL
       ON CONFLICT (retrospective_id, participant_id) DO NOTHING`,
      [run.workspaceId, run.id, run.closesAt, run.pilotId],
    );
  }

  /** The run's links stop working at `now`. */
  async expireInvitations(manager: EntityManager, runId: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE invitation SET expires_at = least(expires_at, $2) WHERE retrospective_id = $1`,
      [runId, now],
    );
  }

  /** A sealed run's invitations anew, in random order; each person's tokens follow them (RetrospectiveRuns). */
  async sealInvitations(manager: EntityManager, runId: string): Promise<void> {
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

  /** How many were invited to the run, and how many of them answered. */
  async invitationCounts(runId: string): Promise<{ invited: number; responded: number }> {
    const [counts] = await this.dataSource.query(
      `SELECT count(*)::int AS invited, count(*) FILTER (WHERE used)::int AS responded FROM invitation WHERE retrospective_id = $1`,
      [runId],
    );
    return counts;
  }

  /** The invitation whose link has this token's hash, with what its form shows. */
  async findInvitation(tokenHash: Buffer): Promise<InvitationRow | undefined> {
    // Three tables joined and the names read by subquery: Postgres plans a seven-way join for longer
    // than it takes to run it, and this runs for every form shown and every answer posted.
    const [row] = await preparedStatement<InvitationRow>(
      this.dataSource,
      'response-find',
      `SELECT i.id AS invitation_id, i.used, i.expires_at, i.participant_id, r.id AS retrospective_id, r.workspace_id,
              r.state, r.anonymity, r.min_group_size, r.closes_at, p.locale, p.time_zone,
              (SELECT o.name FROM ${ORGANIZATION_ROWS} o WHERE o.id = r.organization_id) AS organization_name,
              (SELECT pi.name FROM ${PILOT_ROWS} pi WHERE pi.id = r.pilot_id) AS pilot_name,
              (SELECT q.label FROM ${QUARTER_ROWS} q WHERE q.id = r.quarter_id) AS quarter_label
       FROM invitation i
       JOIN ${RETROSPECTIVE_ROWS} r ON r.id = i.retrospective_id
       JOIN ${PARTICIPANT_ROWS} p ON p.id = i.participant_id
       WHERE i.id = (SELECT t.invitation_id FROM invitation_token t WHERE t.token_hash = $1)`,
      [tokenHash],
    );
    return row;
  }

  /**
   * Stores an answer and flags its invitation used, in one statement, so one round trip and one
   * transaction; the invitation's row lock serialises concurrent posts of the same link.
   */
  async saveAnswer(anonymous: boolean, post: AnswerPost): Promise<AnswerOutcome> {
    const [outcome] = await preparedStatement<AnswerOutcome>(
      this.dataSource,
      anonymous ? 'response-save-held' : 'response-save-linked',
      anonymous ? SAVE_ANONYMOUS : SAVE_LINKED,
      [
        post.invitationId,
        post.now,
        post.workspaceId,
        post.retrospectiveId,
        JSON.stringify(post.answers),
        ...(anonymous ? [post.minGroupSize] : [post.timeZone, post.participantId]),
      ],
    );
    return outcome;
  }

  /** The person's answer to a confidential or named run, if they gave one. */
  async previousAnswers(runId: string, participantId: string): Promise<Record<string, unknown> | null> {
    const [response] = await this.dataSource.query(
      `SELECT answers FROM retrospective_response WHERE retrospective_id = $1 AND participant_id = $2`,
      [runId, participantId],
    );
    return response?.answers ?? null;
  }

  /** How many answers the run holds (moved, for an anonymous run). */
  async countMoved(runId: string): Promise<number> {
    const [{ moved }] = await this.dataSource.query(
      `SELECT count(*)::int AS moved FROM retrospective_response WHERE retrospective_id = $1`,
      [runId],
    );
    return moved;
  }

  /** Moves the run's waiting answers if at least `minGroupSize` wait; how many moved. */
  async moveWaiting(manager: EntityManager, runId: string, now: Date, minGroupSize: number): Promise<number> {
    return returned(await manager.query(MOVE, [runId, now, minGroupSize])).length;
  }

  /** Open anonymous runs with at least k answers waiting, at most `limit` of them. */
  async runsWithBatchWaiting(limit: number): Promise<{ id: string }[]> {
    return this.dataSource.query(
      `SELECT r.id
       FROM (SELECT retrospective_id, count(*) AS waiting FROM pending_answer GROUP BY retrospective_id) p
       JOIN ${RETROSPECTIVE_ROWS} r ON r.id = p.retrospective_id
       WHERE r.state = 'open' AND r.anonymity = 'anonymous' AND p.waiting >= r.min_group_size
       LIMIT ${limit}`,
    );
  }

  /** Every answer of the run, moved or waiting, rewritten in one batch with the day of `now`. */
  async sealAnswers(manager: EntityManager, runId: string, now: Date): Promise<void> {
    await manager.query(SEAL, [runId, now]);
  }

  async countResponses(runId: string, workspaceId: string): Promise<number> {
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM retrospective_response WHERE retrospective_id = $1 AND workspace_id = $2`,
      [runId, workspaceId],
    );
    return total;
  }

  /** A page of the run's answers with the names of who gave them, by name. */
  namedResponses(runId: string, workspaceId: string, page: PageRequest): Promise<NamedResponse[]> {
    return this.dataSource.query(
      `SELECT r.participant_id AS "participantId", p.name, r.level, r.locale,
              to_char(r.submitted_on, 'YYYY-MM-DD') AS "submittedOn", r.answers
       FROM retrospective_response r
       LEFT JOIN ${PARTICIPANT_ROWS} p ON p.id = r.participant_id AND p.workspace_id = r.workspace_id
       WHERE r.retrospective_id = $1 AND r.workspace_id = $2
       ORDER BY p.name COLLATE "C" NULLS LAST, r.participant_id NULLS LAST, r.id
       LIMIT $3 OFFSET $4`,
      [runId, workspaceId, page.limit, page.offset],
    );
  }

  async countNonResponders(runId: string, workspaceId: string): Promise<number> {
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM invitation i JOIN ${PARTICIPANT_ROWS} p ON p.id = i.participant_id
       WHERE i.retrospective_id = $1 AND i.workspace_id = $2 AND NOT i.used`,
      [runId, workspaceId],
    );
    return total;
  }

  /** A page of those invited to the run who have not answered, by name. */
  nonResponders(runId: string, workspaceId: string, page: PageRequest): Promise<NonResponder[]> {
    return this.dataSource.query(
      `SELECT p.id AS "participantId", p.name, p.email, i.level, p.unsubscribed_at IS NOT NULL AS unsubscribed
       FROM invitation i JOIN ${PARTICIPANT_ROWS} p ON p.id = i.participant_id AND p.workspace_id = i.workspace_id
       WHERE i.retrospective_id = $1 AND i.workspace_id = $2 AND NOT i.used
       ORDER BY p.name COLLATE "C", p.id
       LIMIT $3 OFFSET $4`,
      [runId, workspaceId, page.limit, page.offset],
    );
  }

  /** The invitations of these people to the run, with whether each answered or unsubscribed. */
  invitationsOf(
    manager: EntityManager,
    runId: string,
    workspaceId: string,
    participantIds: string[],
  ): Promise<{ participant_id: string; used: boolean; unsubscribed: boolean }[]> {
    return manager.query(
      `SELECT i.participant_id, i.used, p.unsubscribed_at IS NOT NULL AS unsubscribed
       FROM invitation i JOIN ${PARTICIPANT_ROWS} p ON p.id = i.participant_id AND p.workspace_id = i.workspace_id
       WHERE i.retrospective_id = $1 AND i.workspace_id = $2 AND i.participant_id = ANY($3::uuid[])`,
      [runId, workspaceId, participantIds],
    );
  }

  /** The person's invitation to the quarter's run, with the run's state, mode and questions. */
  async invitationForMail(
    manager: EntityManager,
    quarterId: string | null,
    participantId: string | null,
  ): Promise<
    { id: string; used: boolean; state: string; anonymity: AnonymityMode; questions: unknown[] } | undefined
  > {
    const [invitation] = await manager.query(
      `SELECT i.id, i.used, r.state, r.anonymity, r.questions
       FROM invitation i JOIN ${RETROSPECTIVE_ROWS} r ON r.id = i.retrospective_id
       WHERE r.quarter_id = $1 AND i.participant_id = $2`,
      [quarterId, participantId],
    );
    return invitation;
  }

  /** Stores a fresh link of the invitation, by its token's hash only. */
  async addToken(manager: EntityManager, hash: Buffer, invitationId: string): Promise<void> {
    await manager.query(`INSERT INTO invitation_token (token_hash, invitation_id) VALUES ($1, $2)`, [
      hash,
      invitationId,
    ]);
  }

  /**
   * A person's free-text answers in confidential and named runs (anonymous answers carry no participant),
   * read and then removed from those answers, in the caller's transaction; their numeric and choice
   * answers stay, so every count and mean holds.
   */
  async eraseFreeTextAnswers(
    manager: EntityManager,
    workspaceId: string,
    participantId: string,
  ): Promise<string[]> {
    const texts: { text: string }[] = await manager.query(
      `SELECT DISTINCT rr.answers ->> (q ->> 'key') AS text
       FROM retrospective_response rr
       JOIN ${RETROSPECTIVE_ROWS} r ON r.id = rr.retrospective_id
       CROSS JOIN LATERAL jsonb_array_elements(r.questions) AS q
       WHERE rr.workspace_id = $1 AND rr.participant_id = $2 AND q ->> 'type' = 'free_text'
         AND jsonb_typeof(rr.answers -> (q ->> 'key')) = 'string'`,
      [workspaceId, participantId],
    );
    await manager.query(
      `UPDATE retrospective_response rr
       SET answers = rr.answers - ARRAY(SELECT q ->> 'key' FROM jsonb_array_elements(r.questions) q
                                        WHERE q ->> 'type' = 'free_text')
       FROM ${RETROSPECTIVE_ROWS} r
       WHERE r.id = rr.retrospective_id AND rr.workspace_id = $1 AND rr.participant_id = $2`,
      [workspaceId, participantId],
    );
    return texts.map((t) => t.text);
  }
}
