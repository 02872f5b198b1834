import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Locale } from '@luotsi/database';
import { affected, returned } from '../common/sql';
import { PILOT_ROWS, QUARTER_ROWS } from '../pilots/relations';
import { PARTICIPANT_ROWS } from '../participants/relations';
import { CADENCE_DISPATCH_ROWS } from '../cadence/relations';
import { KEY_RESULT_ROWS, OBJECTIVE_ROWS } from './relations';
import type { ConfidenceDrop, ConfidenceTrajectory, StillKeyResult } from './practice-signals.service';

const WEEK_SECONDS = 7 * 24 * 3600;
/** Key results in their objectives' order, then their own (`o` and `kr` in scope). */
const ORDERED = `ORDER BY o.position, o.created_at, kr.position, kr.created_at`;

/** A quarter's length in weeks, as the practice signals count it (a quarter `q` in scope). */
export const WEEKS_IN_QUARTER = `ceil(extract(epoch FROM (q.ends_at - q.starts_at)) / ${7 * 24 * 3600})::int AS weeks_in_quarter`;

/** One key result's answer of a check-in, for its week. */
export interface CheckInAnswerRow {
  workspaceId: string;
  organizationId: string;
  quarterId: string;
  keyResultId: string;
  participantId: string;
  week: number;
  currentValue: number | null;
  done: boolean | null;
  confidence: number | null;
  note: string | null;
  recordedOn: string | null;
}

/** A check-in link's row, with what its form shows of the person, the pilot and the quarter. */
export interface CheckInTokenRow {
  workspace_id: string;
  quarter_id: string;
  participant_id: string;
  week: number;
  expires_at: Date;
  used: boolean;
  locale: Locale;
  time_zone: string;
  organization_id: string;
  pilot_name: string;
  quarter_label: string;
  weeks_in_quarter: number;
}

/** A new check-in link of a person for a week of a quarter; only the token's hash is stored. */
export interface NewCheckInToken {
  hash: Buffer;
  workspaceId: string;
  quarterId: string;
  participantId: string;
  week: number;
  expiresAt: Date;
}

/**
 * Weekly check-ins and their single-use links (`check_in`, `check_in_token`): the only code that reads or
 * writes them, and the practice signals counted from them. A link is found by its token's hash (the
 * person is not signed in); the practice signals take the workspace of a caller that scoped the quarter.
 */
@Injectable()
export class CheckInsStore {
  constructor(private readonly dataSource: DataSource) {}

  async createToken(manager: EntityManager, token: NewCheckInToken): Promise<void> {
    await manager.query(
      `INSERT INTO check_in_token (token_hash, workspace_id, quarter_id, participant_id, week, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [token.hash, token.workspaceId, token.quarterId, token.participantId, token.week, token.expiresAt],
    );
  }

  /** The link with this token hash, with its person, pilot and quarter; null if there is none. */
  async findToken(hash: Buffer): Promise<CheckInTokenRow | null> {
    const [row] = await this.dataSource.query(
      `SELECT t.workspace_id, t.quarter_id, t.participant_id, t.week, t.expires_at, t.used,
              p.locale, p.time_zone, q.organization_id, pi.name AS pilot_name, q.label AS quarter_label,
              ${WEEKS_IN_QUARTER}
       FROM check_in_token t
       JOIN ${PARTICIPANT_ROWS} p ON p.id = t.participant_id
       JOIN ${QUARTER_ROWS} q ON q.id = t.quarter_id
       JOIN ${PILOT_ROWS} pi ON pi.id = q.pilot_id
       WHERE t.token_hash = $1`,
      [hash],
    );
    return (row as CheckInTokenRow | undefined) ?? null;
  }

  /**
   * Marks the link used if it is unused and not expired at `now`; returns whether this call did. The
   * conditional update is the guard: of any number of concurrent submits, one finds it unused.
   */
  async claimToken(manager: EntityManager, hash: Buffer, now: Date): Promise<boolean> {
    const claimed = returned(
      await manager.query(
        `UPDATE check_in_token SET used = true WHERE token_hash = $1 AND NOT used AND expires_at > $2 RETURNING week`,
        [hash, now],
      ),
    );
    return claimed.length > 0;
  }

  /** Whether the link is used; null if there is none. */
  async tokenUsed(manager: EntityManager, hash: Buffer): Promise<boolean | null> {
    const [live] = await manager.query(`SELECT used FROM check_in_token WHERE token_hash = $1`, [hash]);
    return live ? live.used : null;
  }

  /** Stores a check-in answer for its key result and week (a second answer for the week replaces it). */
  async recordCheckIn(manager: EntityManager, answer: CheckInAnswerRow): Promise<void> {
    await manager.query(
      `INSERT INTO check_in (workspace_id, organization_id, quarter_id, key_result_id, participant_id, week,
                             current_value, done, confidence, note, recorded_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (key_result_id, week) DO UPDATE SET participant_id = excluded.participant_id,
         current_value = excluded.current_value, done = excluded.done, confidence = excluded.confidence,
         note = excluded.note, recorded_on = excluded.recorded_on`,
      [
        answer.workspaceId,
        answer.organizationId,
        answer.quarterId,
        answer.keyResultId,
        answer.participantId,
        answer.week,
        answer.currentValue,
        answer.done,
        answer.confidence,
        answer.note,
        answer.recordedOn,
      ],
    );
  }
  /** The quarter's week at `now`, from 1 (0 before it starts, capped at its last), and its length in weeks. */
  async practiceWeeks(
    workspaceId: string,
    quarterId: string,
    now: Date,
  ): Promise<{ current: number; total: number }> {
    // Weeks are counted from the quarter's `starts_at`: week w covers [starts_at + 7(w−1) days, +7 days).
    const [weeks]: { current: number; total: number }[] = await this.dataSource.query(
      `SELECT LEAST(GREATEST(floor(extract(epoch FROM ($3::timestamptz - starts_at)) / ${WEEK_SECONDS})::int + 1, 0),
                    ceil(extract(epoch FROM (ends_at - starts_at)) / ${WEEK_SECONDS})::int) AS current,
              ceil(extract(epoch FROM (ends_at - starts_at)) / ${WEEK_SECONDS})::int AS total
       FROM ${QUARTER_ROWS} quarter WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, quarterId, now],
    );
    return weeks;
  }

  /**
   * Rhythm: a week is due when the cadence sent that week's check-in request (a `checkin_request` step
   * dispatched, not skipped, in weeks 1..current); for each owner of key results (a key result's owner,
   * else its objective's) it is done when any of that person's key results has a check-in that week.
   * One row per owner (`total` 0) and the rollup of all (`total` 1).
   */
  practiceRhythm(
    workspaceId: string,
    quarterId: string,
    currentWeek: number,
  ): Promise<{ participant_id: string | null; total: number; due: number; done: number }[]> {
    return this.dataSource.query(
      `WITH owned AS (
         SELECT kr.id AS key_result_id, COALESCE(kr.owner_id, o.owner_id) AS participant_id
         FROM ${KEY_RESULT_ROWS} kr JOIN ${OBJECTIVE_ROWS} o ON o.id = kr.objective_id
         WHERE kr.workspace_id = $1 AND kr.quarter_id = $2 AND COALESCE(kr.owner_id, o.owner_id) IS NOT NULL
       ),
       owners AS (SELECT DISTINCT participant_id FROM owned),
       requested AS (
         SELECT DISTINCT (d.step_date - q.starts_on) / 7 + 1 AS week
         FROM ${CADENCE_DISPATCH_ROWS} d JOIN ${QUARTER_ROWS} q ON q.id = d.quarter_id
         WHERE d.workspace_id = $1 AND d.quarter_id = $2 AND d.kind = 'checkin_request'
           AND d.skipped_reason IS NULL AND (d.step_date - q.starts_on) / 7 + 1 <= $3
       ),
       due AS (
         SELECT ow.participant_id, r.week FROM owners ow LEFT JOIN requested r ON true
       ),
       done AS (
         SELECT DISTINCT owned.participant_id, ci.week
         FROM check_in ci JOIN owned ON owned.key_result_id = ci.key_result_id
         WHERE ci.workspace_id = $1 AND ci.quarter_id = $2
       )
       SELECT d.participant_id, GROUPING(d.participant_id)::int AS total,
              count(d.week)::int AS due, count(dn.week)::int AS done
       FROM due d LEFT JOIN done dn ON dn.participant_id = d.participant_id AND dn.week = d.week
       GROUP BY ROLLUP (d.participant_id)
       ORDER BY GROUPING(d.participant_id), d.participant_id`,
      [workspaceId, quarterId, currentWeek],
    );
  }

  /** Each key result of the quarter, in order, with the confidence of every recorded week. */
  confidenceTrajectories(workspaceId: string, quarterId: string): Promise<ConfidenceTrajectory[]> {
    return this.dataSource.query(
      `SELECT kr.id AS "keyResultId", kr.objective_id AS "objectiveId", kr.title,
              COALESCE((SELECT json_agg(json_build_object('week', ci.week, 'confidence', ci.confidence)
                                        ORDER BY ci.week)
                        FROM check_in ci WHERE ci.workspace_id = $1 AND ci.key_result_id = kr.id), '[]') AS weeks
       FROM ${KEY_RESULT_ROWS} kr JOIN ${OBJECTIVE_ROWS} o ON o.id = kr.objective_id
       WHERE kr.workspace_id = $1 AND kr.quarter_id = $2
       ${ORDERED}`,
      [workspaceId, quarterId],
    );
  }

  /**
   * A drop compares each recorded week with the previous recorded week of the same key result (a missed
   * week in between does not break the comparison).
   */
  confidenceDrops(workspaceId: string, quarterId: string, drop: number): Promise<ConfidenceDrop[]> {
    return this.dataSource.query(
      `SELECT "keyResultId", "fromWeek", "toWeek", "from", "to", "from" - "to" AS drop
       FROM (SELECT ci.key_result_id AS "keyResultId", ci.week AS "toWeek", ci.confidence AS "to",
                    lag(ci.week) OVER w AS "fromWeek", lag(ci.confidence) OVER w AS "from"
             FROM check_in ci
             WHERE ci.workspace_id = $1 AND ci.quarter_id = $2
             WINDOW w AS (PARTITION BY ci.key_result_id ORDER BY ci.week)) steps
       WHERE "from" - "to" >= ${drop}
       ORDER BY "toWeek", "keyResultId"`,
      [workspaceId, quarterId],
    );
  }

  /**
   * No movement: a key result whose check-ins never recorded anything but its starting state. A metric
   * starts at its start value, so it moved once a check-in recorded a current value different from
   * start_value; a milestone or binary result starts not done, so it moved once a check-in recorded
   * done = yes. (Any change from one week to the next implies a week that differs from the start, so
   * this is the same as "no check-in changed the value or the done flag".) A key result without any
   * check-in has not moved either. Values set through the API rather than a check-in do not count.
   */
  stillKeyResults(workspaceId: string, quarterId: string): Promise<StillKeyResult[]> {
    return this.dataSource.query(
      `SELECT kr.id AS "keyResultId", kr.objective_id AS "objectiveId", kr.title,
              (SELECT count(*)::int FROM check_in ci WHERE ci.workspace_id = $1 AND ci.key_result_id = kr.id)
                AS "checkIns"
       FROM ${KEY_RESULT_ROWS} kr JOIN ${OBJECTIVE_ROWS} o ON o.id = kr.objective_id
       WHERE kr.workspace_id = $1 AND kr.quarter_id = $2
         AND NOT EXISTS (
           SELECT 1 FROM check_in ci
           WHERE ci.workspace_id = $1 AND ci.key_result_id = kr.id
             AND CASE WHEN kr.measure = 'metric'
                      THEN ci.current_value IS NOT NULL AND ci.current_value::float8 IS DISTINCT FROM kr.start_value
                      ELSE ci.done IS TRUE END)
       ${ORDERED}`,
      [workspaceId, quarterId],
    );
  }

  /** A person's check-in notes, emptied at their erasure. */
  async forgetNotes(workspaceId: string, participantId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE check_in SET note = '' WHERE workspace_id = $1 AND participant_id = $2 AND note <> ''`,
      [workspaceId, participantId],
    );
  }

  /** Retention: up to `limit` check-in tokens that expired before `cutoff` (used or not). */
  async purgeExpiredTokens(cutoff: Date, limit: number): Promise<number> {
    return affected(
      await this.dataSource.query(
        `DELETE FROM check_in_token WHERE token_hash IN (
           SELECT token_hash FROM check_in_token WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)`,
        [cutoff, limit],
      ),
    );
  }
}
