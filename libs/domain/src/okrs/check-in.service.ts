import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DateTime } from 'luxon';
import { AppConfig } from '@luotsi/config';
import type { KeyResultKind, KeyResultMeasure, Locale, OutboxMessage } from '@luotsi/database';
import { Clock } from '../common/clock';
import { InputIssue } from '../common/errors';
import { EnrichesMail, ErasedParticipant, OnDomainEvent } from '../common/reactions';
import { Refusal, refused, Refused, unknownLink } from '../common/refusal';
import { hashToken, newToken } from '../common/tokens';
import { returned } from '../common/sql';
import { progress } from './okr-rules';
import { validateCheckIn } from './check-in-rules';

/** How long after the end of its week a check-in link still works. */
export const CHECK_IN_GRACE_DAYS = 3;

/** In the quarter's last this many weeks the check-in also asks each owner for final scores. */
export const SCORING_WEEKS = 3;

export interface CheckInKeyResult {
  id: string;
  objectiveTitle: string;
  title: string;
  kind: KeyResultKind;
  measure: KeyResultMeasure;
  startValue: number | null;
  targetValue: number | null;
  unit: string;
  currentValue: number | null;
  done: boolean;
  confidence: number | null;
  /** 0..1, as the API computes it. */
  progress: number;
  finalScore: number | null;
}

/** What the check-in form needs: the person's own key results of the quarter, nobody else's. */
export interface CheckInForm {
  locale: Locale;
  pilotName: string;
  quarterLabel: string;
  week: number;
  expiresAt: Date;
  /** The quarter's last weeks: the form also asks for each key result's final score (optional). */
  scoring: boolean;
  keyResults: CheckInKeyResult[];
}

export type CheckInLookup = { status: 'ok'; form: CheckInForm } | Refused;

export type CheckInSubmitResult =
  | { status: 'saved'; form: CheckInForm }
  | { status: 'invalid'; form: CheckInForm; issues: InputIssue[]; values: Record<string, string> }
  | Refused;

/** A link is used once, and gone once its week (and the grace days) ended. */
const USED: Refusal = { kind: 'used' };
const EXPIRED: Refusal = { kind: 'gone', reason: 'expired' };

/** The quarter's length in weeks, as the practice signals count it (a quarter `q` in scope). */
const WEEKS_IN_QUARTER = `ceil(extract(epoch FROM (q.ends_at - q.starts_at)) / ${7 * 24 * 3600})::int AS weeks_in_quarter`;

const isScoringWeek = (week: number, weeksInQuarter: number) => week > weeksInQuarter - SCORING_WEEKS;

/**
 * An objective's score is the mean of its key results' final scores (as `objectiveScore` computes it),
 * recomputed for the objectives of these key results.
 */
async function rescoreObjectives(manager: EntityManager, keyResultIds: string[]): Promise<void> {
  await manager.query(
    `UPDATE objective o SET final_score = s.score, updated_at = now()
     FROM (SELECT kr.objective_id, round(avg(kr.final_score)::numeric, 4)::float8 AS score
           FROM key_result kr
           WHERE kr.objective_id IN (SELECT objective_id FROM key_result WHERE id = ANY($1::uuid[]))
           GROUP BY kr.objective_id) s
     WHERE o.id = s.objective_id`,
    [keyResultIds],
  );
}

/** Tokens are `c_` and 43 base64url characters; anything else is unknown without a query. */
const TOKEN = /^c_[A-Za-z0-9_-]{43}$/;

interface TokenRow {
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

/**
 * Weekly check-ins by email: the `checkin_request` mail of a key-result owner carries a single-use
 * link to a form for all of that person's key results of the quarter; an answer is stored per key
 * result and week, and becomes the key result's latest value and confidence.
 */
@Injectable()
export class CheckInService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * A link for an owner of key results in the row's quarter; nothing for anyone else (their mail asks
   * them to bring the check-in to the team meeting instead).
   */
  @EnrichesMail('checkin_request')
  async enrich(
    manager: EntityManager,
    row: OutboxMessage,
    recipient: { participantId: string | null },
  ): Promise<Record<string, unknown>> {
    if (!recipient.participantId) return { checkIn: { scoring: false } };
    const [facts] = await manager.query(
      `SELECT p.time_zone, to_char(q.starts_on, 'YYYY-MM-DD') AS starts_on, q.ends_at, ${WEEKS_IN_QUARTER},
              EXISTS (SELECT 1 FROM key_result kr JOIN objective o ON o.id = kr.objective_id
                      WHERE kr.quarter_id = q.id AND COALESCE(kr.owner_id, o.owner_id) = p.id) AS owns
       FROM participant p, quarter q WHERE p.id = $1 AND q.id = $2`,
      [recipient.participantId, row.quarterId],
    );
    if (!facts?.owns) return { checkIn: { scoring: false } };
    // The week as the mail itself states it (DeliveryService counts the same way).
    const start = DateTime.fromISO(facts.starts_on, { zone: facts.time_zone });
    const day = DateTime.fromJSDate(row.dueAt, { zone: facts.time_zone }).startOf('day');
    const week = Math.max(1, Math.floor(day.diff(start, 'days').days / 7) + 1);
    const endOfWeek = start.plus({ days: week * 7 + CHECK_IN_GRACE_DAYS }).toJSDate();
    const endOfQuarter = new Date((facts.ends_at as Date).getTime() + CHECK_IN_GRACE_DAYS * 86_400_000);
    const expiresAt = endOfWeek < endOfQuarter ? endOfWeek : endOfQuarter;

    const { token, hash } = newToken('c');
    await manager.query(
      `INSERT INTO check_in_token (token_hash, workspace_id, quarter_id, participant_id, week, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [hash, row.workspaceId, row.quarterId, recipient.participantId, week, expiresAt],
    );
    return {
      links: { action: `${this.config.http.publicBaseUrl}/c/${token}` },
      checkIn: { scoring: isScoringWeek(week, facts.weeks_in_quarter) },
    };
  }

  async lookup(token: string): Promise<CheckInLookup> {
    const row = await this.find(token);
    if (!row) return unknownLink();
    if (row.used) return refused(USED, row.locale);
    if (row.expires_at <= this.clock.now()) return refused(EXPIRED, row.locale);
    return { status: 'ok', form: await this.form(row) };
  }

  async submit(token: string, values: Record<string, string>, locale?: Locale): Promise<CheckInSubmitResult> {
    const row = await this.find(token);
    if (!row) return unknownLink();
    const shown = locale ?? row.locale;
    if (row.used) return refused(USED, shown);
    if (row.expires_at <= this.clock.now()) return refused(EXPIRED, shown);
    const form = { ...(await this.form(row)), locale: shown };
    const { issues, answers } = validateCheckIn(form.keyResults, values, shown, form.scoring);
    if (issues.length) return { status: 'invalid', form, issues, values };

    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      // The conditional update is the guard: of any number of concurrent submits, one finds it unused.
      const claimed = returned(
        await manager.query(
          `UPDATE check_in_token SET used = true WHERE token_hash = $1 AND NOT used AND expires_at > $2 RETURNING week`,
          [hashToken(token), now],
        ),
      );
      if (!claimed.length) {
        const [live] = await manager.query(`SELECT used FROM check_in_token WHERE token_hash = $1`, [
          hashToken(token),
        ]);
        return refused(live?.used ? USED : EXPIRED, shown);
      }
      const day = DateTime.fromJSDate(now, { zone: row.time_zone }).toISODate();
      for (const answer of answers) {
        await manager.query(
          `INSERT INTO check_in (workspace_id, organization_id, quarter_id, key_result_id, participant_id, week,
                                 current_value, done, confidence, note, recorded_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (key_result_id, week) DO UPDATE SET participant_id = excluded.participant_id,
             current_value = excluded.current_value, done = excluded.done, confidence = excluded.confidence,
             note = excluded.note, recorded_on = excluded.recorded_on`,
          [
            row.workspace_id,
            row.organization_id,
            row.quarter_id,
            answer.keyResultId,
            row.participant_id,
            row.week,
            answer.currentValue,
            answer.done,
            answer.confidence,
            answer.note,
            day,
          ],
        );
        // The key result shows its latest week: an earlier week answered late does not overwrite it.
        await manager.query(
          `UPDATE key_result kr SET current_value = COALESCE($2, current_value), done = COALESCE($3, done),
                  confidence = $4, recorded_at = $5, updated_at = $5
           WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM check_in ci WHERE ci.key_result_id = kr.id AND ci.week > $6)`,
          [answer.keyResultId, answer.currentValue, answer.done, answer.confidence, now, row.week],
        );
        if (answer.score !== null)
          await manager.query(
            `UPDATE key_result SET final_score = $2, scored_at = $3, updated_at = $3 WHERE id = $1`,
            [answer.keyResultId, answer.score, now],
          );
      }
      const scored = answers.filter((answer) => answer.score !== null).map((answer) => answer.keyResultId);
      if (scored.length) await rescoreObjectives(manager, scored);
      const saved = answers.map((answer) => {
        const kr = form.keyResults.find((k) => k.id === answer.keyResultId)!;
        const next = {
          ...kr,
          currentValue: answer.currentValue ?? kr.currentValue,
          done: answer.done ?? kr.done,
          confidence: answer.confidence,
          finalScore: answer.score ?? kr.finalScore,
        };
        return { ...next, progress: progress(next) };
      });
      return { status: 'saved', form: { ...form, keyResults: saved } } as const;
    });
  }

  private async find(token: string): Promise<TokenRow | null> {
    if (!TOKEN.test(token)) return null;
    const [row] = await this.dataSource.query(
      `SELECT t.workspace_id, t.quarter_id, t.participant_id, t.week, t.expires_at, t.used,
              p.locale, p.time_zone, q.organization_id, pi.name AS pilot_name, q.label AS quarter_label,
              ${WEEKS_IN_QUARTER}
       FROM check_in_token t
       JOIN participant p ON p.id = t.participant_id
       JOIN quarter q ON q.id = t.quarter_id
       JOIN pilot pi ON pi.id = q.pilot_id
       WHERE t.token_hash = $1`,
      [hashToken(token)],
    );
    return (row as TokenRow | undefined) ?? null;
  }

  private async form(row: TokenRow): Promise<CheckInForm> {
    const rows: (Omit<CheckInKeyResult, 'progress'> & Record<string, unknown>)[] =
      await this.dataSource.query(
        `SELECT kr.id, o.title AS "objectiveTitle", kr.title, kr.kind, kr.measure, kr.start_value AS "startValue",
              kr.target_value AS "targetValue", kr.unit, kr.current_value AS "currentValue", kr.done, kr.confidence,
              kr.final_score AS "finalScore"
       FROM key_result kr JOIN objective o ON o.id = kr.objective_id
       WHERE kr.quarter_id = $1 AND COALESCE(kr.owner_id, o.owner_id) = $2
       ORDER BY o.position, o.created_at, kr.position, kr.created_at`,
        [row.quarter_id, row.participant_id],
      );
    return {
      locale: row.locale,
      pilotName: row.pilot_name,
      quarterLabel: row.quarter_label,
      week: row.week,
      expiresAt: row.expires_at,
      scoring: isScoringWeek(row.week, row.weeks_in_quarter),
      keyResults: rows.map((kr) => ({ ...kr, progress: progress(kr) })),
    };
  }

  /**
   * The check-ins' part of an erasure, in the erasing transaction (after the reports'): what the person
   * wrote with their check-ins goes; the numbers stay with the key results.
   */
  @OnDomainEvent('participant.erasing', { order: 1 })
  async forgetNotes(manager: EntityManager, person: ErasedParticipant): Promise<void> {
    await manager.query(
      `UPDATE check_in SET note = '' WHERE workspace_id = $1 AND participant_id = $2 AND note <> ''`,
      [person.workspaceId, person.id],
    );
  }
}
