import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { AnonymityMode, Level, Locale } from '@luotsi/database';
import { Clock } from '../common/clock';
import { InputIssue } from '../common/errors';
import { hashToken } from '../common/tokens';
import { returned } from '../common/sql';
import { normalizeAnswers, Question, validateAnswers } from './question-set';

/** What the form needs. Nothing here is shown that the person did not already know. */
export interface FormContext {
  retrospectiveId: string;
  anonymity: AnonymityMode;
  questions: Question[];
  locale: Locale;
  organizationName: string;
  pilotName: string;
  quarterLabel: string;
  closesAt: Date;
  /** Their earlier answers, in confidential and named runs (which they may change until close). */
  previous: Record<string, unknown> | null;
  used: boolean;
}

export type FormLookup =
  { status: 'ok'; form: FormContext } | { status: 'unknown' } | { status: 'gone'; locale: Locale };

export type SubmitResult =
  | { status: 'saved'; form: FormContext }
  | { status: 'invalid'; form: FormContext; issues: InputIssue[]; values: Record<string, string> }
  | { status: 'refused'; reason: 'used' | 'gone'; locale: Locale }
  | { status: 'unknown' };

/** Tokens are `r_` and 43 base64url characters; anything else is unknown without a query. */
const TOKEN = /^r_[A-Za-z0-9_-]{43}$/;

/**
 * The participant's side: a token opens a form; a submission is stored exactly once. In an anonymous
 * run the stored answer carries no participant, no invitation and only the day.
 */
@Injectable()
export class ResponseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async lookup(token: string): Promise<FormLookup> {
    const row = await this.find(token);
    if (!row) return { status: 'unknown' };
    if (row.state !== 'open' || row.expires_at <= this.clock.now())
      return { status: 'gone', locale: row.locale };
    if (row.used && row.anonymity === 'anonymous') return { status: 'gone', locale: row.locale };
    return { status: 'ok', form: await this.context(row) };
  }

  async submit(token: string, values: Record<string, string>, locale?: Locale): Promise<SubmitResult> {
    const row = await this.find(token);
    if (!row) return { status: 'unknown' };
    const form = await this.context(row);
    if (locale) form.locale = locale;
    const issues = validateAnswers(form.questions, values, form.locale);
    if (issues.length) return { status: 'invalid', form, issues, values };
    const answers = normalizeAnswers(form.questions, values);

    return this.dataSource.transaction(async (manager) => {
      const [live] = await manager.query(
        `SELECT i.id, i.used, i.expires_at, r.state FROM invitation i JOIN retrospective r ON r.id = i.retrospective_id
         WHERE i.id = $1 FOR UPDATE OF i`,
        [row.invitation_id],
      );
      const now = this.clock.now();
      if (!live || live.state !== 'open' || live.expires_at <= now)
        return { status: 'refused', reason: 'gone', locale: form.locale } as const;
      const day = DateTime.fromJSDate(now, { zone: row.time_zone }).toISODate();
      if (row.anonymity === 'anonymous') {
        // The conditional update is the guard: of any number of concurrent submits, one finds it unused.
        const claimed = returned(
          await manager.query(`UPDATE invitation SET used = true WHERE id = $1 AND NOT used RETURNING id`, [
            row.invitation_id,
          ]),
        );
        if (!claimed.length) return { status: 'refused', reason: 'used', locale: form.locale } as const;
        await manager.query(
          `INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
           VALUES ($1, $2, NULL, $3, $4, $5::jsonb, $6)`,
          [row.workspace_id, row.retrospective_id, row.level, form.locale, JSON.stringify(answers), day],
        );
      } else {
        // Confidential and named answers may be changed until close; the unique index keeps one per person.
        await manager.query(
          `INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
           ON CONFLICT (retrospective_id, participant_id) WHERE participant_id IS NOT NULL
           DO UPDATE SET answers = excluded.answers, locale = excluded.locale, submitted_on = excluded.submitted_on`,
          [
            row.workspace_id,
            row.retrospective_id,
            row.participant_id,
            row.level,
            form.locale,
            JSON.stringify(answers),
            day,
          ],
        );
        await manager.query(`UPDATE invitation SET used = true WHERE id = $1 AND NOT used`, [
          row.invitation_id,
        ]);
      }
      return {
        status: 'saved',
        form: { ...form, previous: row.anonymity === 'anonymous' ? null : answers, used: true },
      } as const;
    });
  }

  private async find(token: string) {
    if (!TOKEN.test(token)) return null;
    const [row] = await this.dataSource.query(
      `SELECT i.id AS invitation_id, i.used, i.expires_at, i.participant_id, r.id AS retrospective_id, r.workspace_id,
              r.state, r.anonymity, r.questions, r.closes_at, p.locale, p.level, p.time_zone,
              o.name AS organization_name, pi.name AS pilot_name, q.label AS quarter_label
       FROM invitation_token t
       JOIN invitation i ON i.id = t.invitation_id
       JOIN retrospective r ON r.id = i.retrospective_id
       JOIN participant p ON p.id = i.participant_id
       JOIN quarter q ON q.id = r.quarter_id
       JOIN pilot pi ON pi.id = r.pilot_id
       JOIN organization o ON o.id = r.organization_id
       WHERE t.token_hash = $1`,
      [hashToken(token)],
    );
    return (row ?? null) as null | {
      invitation_id: string;
      used: boolean;
      expires_at: Date;
      participant_id: string;
      retrospective_id: string;
      workspace_id: string;
      state: string;
      anonymity: AnonymityMode;
      questions: Question[];
      closes_at: Date;
      locale: Locale;
      level: Level;
      time_zone: string;
      organization_name: string;
      pilot_name: string;
      quarter_label: string;
    };
  }

  private async context(
    row: NonNullable<Awaited<ReturnType<ResponseService['find']>>>,
  ): Promise<FormContext> {
    const previous =
      row.anonymity === 'anonymous'
        ? null
        : ((
            await this.dataSource.query(
              `SELECT answers FROM retrospective_response WHERE retrospective_id = $1 AND participant_id = $2`,
              [row.retrospective_id, row.participant_id],
            )
          )[0]?.answers ?? null);
    return {
      retrospectiveId: row.retrospective_id,
      anonymity: row.anonymity,
      questions: row.questions,
      locale: row.locale,
      organizationName: row.organization_name,
      pilotName: row.pilot_name,
      quarterLabel: row.quarter_label,
      closesAt: row.closes_at,
      previous,
      used: row.used,
    };
  }
}
