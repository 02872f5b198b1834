import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AnonymityMode, Locale } from '@luotsi/database';
import { Clock } from '../common/clock';
import { InputIssue } from '../common/errors';
import { Refusal, refused, Refused, unknownLink } from '../common/refusal';
import { preparedStatement } from '../common/sql';
import { hashToken } from '../common/tokens';
import { normalizeAnswers, Question, validateAnswers } from './question-set';
import { AnswerBatches } from './answer-batches';
import { SurveysStore } from './surveys.store';

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

export type FormLookup = { status: 'ok'; form: FormContext } | Refused;

export type SubmitResult =
  | { status: 'saved'; form: FormContext }
  | { status: 'invalid'; form: FormContext; issues: InputIssue[]; values: Record<string, string> }
  | Refused;

const CLOSED: Refusal = { kind: 'gone', reason: 'closed' };
const EXPIRED: Refusal = { kind: 'gone', reason: 'expired' };
const USED: Refusal = { kind: 'used' };
const ANSWERED: Refusal = { kind: 'gone', reason: 'answered' };

/** Runs whose questions a process keeps; the oldest seen goes first. */
const QUESTION_CACHE_RUNS = 500;

/** Tokens are `r_` and 43 base64url characters; anything else is unknown without a query. */
const TOKEN = /^r_[A-Za-z0-9_-]{43}$/;

/**
 * The invitation, locked, while its run is open and its links live; nothing when closed or expired.
 * The answer takes its level and language from here: as they were when the run opened.
 */
const LIVE = `SELECT i.id, i.level, i.locale FROM invitation i JOIN retrospective r ON r.id = i.retrospective_id
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

/** An invitation found by its token, with what its form shows. */
interface InvitationRow {
  invitation_id: string;
  used: boolean;
  expires_at: Date;
  participant_id: string;
  retrospective_id: string;
  workspace_id: string;
  state: string;
  anonymity: AnonymityMode;
  min_group_size: number;
  closes_at: Date;
  /** The person's language now, in which the form is shown; the answer keeps the invitation's. */
  locale: Locale;
  time_zone: string;
  organization_name: string;
  pilot_name: string;
  quarter_label: string;
}

/**
 * The participant's side: a token opens a form; a submission is stored exactly once, with the level
 * and language the invitation froze when the run opened. In an anonymous run the stored answer
 * carries no participant, no invitation and no time, and it waits to join the run's answers in a
 * shuffled batch of at least k.
 */
@Injectable()
export class ResponseService {
  private readonly questions = new Map<string, Question[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly batches: AnswerBatches,
    private readonly store: SurveysStore,
  ) {}

  async lookup(token: string): Promise<FormLookup> {
    const row = await this.find(token);
    if (!row) return unknownLink();
    const refusal = this.refusal(row);
    // The form of an anonymous answer that is in cannot be shown again: for the form, the link is gone.
    if (refusal) return refused(refusal.kind === 'used' ? ANSWERED : refusal, row.locale);
    return { status: 'ok', form: await this.context(row) };
  }

  async submit(token: string, values: Record<string, string>, locale?: Locale): Promise<SubmitResult> {
    const row = await this.find(token);
    if (!row) return unknownLink();
    // A dead link is refused whatever was posted: it never shows the form again with errors. The
    // statement below decides again under the invitation's lock.
    const refusal = this.refusal(row);
    if (refusal) return refused(refusal, locale ?? row.locale);
    const form = await this.context(row);
    if (locale) form.locale = locale;
    const issues = validateAnswers(form.questions, values, form.locale);
    if (issues.length) return { status: 'invalid', form, issues, values };
    const answers = normalizeAnswers(form.questions, values);

    const now = this.clock.now();
    const anonymous = row.anonymity === 'anonymous';
    // One statement, so one round trip and one transaction: the answer and the `used` flag are written
    // together, and the invitation's row lock serialises concurrent posts of the same link.
    const [outcome] = await preparedStatement<{ live: number; saved: number; waiting?: number }>(
      this.dataSource,
      anonymous ? 'response-save-held' : 'response-save-linked',
      anonymous ? SAVE_ANONYMOUS : SAVE_LINKED,
      [
        row.invitation_id,
        now,
        row.workspace_id,
        row.retrospective_id,
        JSON.stringify(answers),
        ...(anonymous ? [row.min_group_size] : [row.time_zone, row.participant_id]),
      ],
    );
    if (!outcome.live) return refused(CLOSED, form.locale);
    // Of any number of concurrent posts to an anonymous run, one finds the invitation unused.
    if (!outcome.saved) return refused(USED, form.locale);
    if (anonymous) await this.batches.answered(row.retrospective_id, outcome.waiting!, row.min_group_size);
    return {
      status: 'saved',
      form: { ...form, previous: anonymous ? null : answers, used: true },
    };
  }

  /** Why a link takes no answer: its run closed or it expired (gone), or its anonymous answer is in. */
  private refusal(row: InvitationRow): Refusal | null {
    if (row.state !== 'open') return CLOSED;
    if (row.expires_at <= this.clock.now()) return EXPIRED;
    return row.used && row.anonymity === 'anonymous' ? USED : null;
  }

  private async find(token: string) {
    if (!TOKEN.test(token)) return null;
    // Three tables joined and the names read by subquery: Postgres plans a seven-way join for longer
    // than it takes to run it, and this runs for every form shown and every answer posted.
    const [row] = await preparedStatement<InvitationRow>(
      this.dataSource,
      'response-find',
      `SELECT i.id AS invitation_id, i.used, i.expires_at, i.participant_id, r.id AS retrospective_id, r.workspace_id,
              r.state, r.anonymity, r.min_group_size, r.closes_at, p.locale, p.time_zone,
              (SELECT o.name FROM organization o WHERE o.id = r.organization_id) AS organization_name,
              (SELECT pi.name FROM pilot pi WHERE pi.id = r.pilot_id) AS pilot_name,
              (SELECT q.label FROM quarter q WHERE q.id = r.quarter_id) AS quarter_label
       FROM invitation i
       JOIN retrospective r ON r.id = i.retrospective_id
       JOIN participant p ON p.id = i.participant_id
       WHERE i.id = (SELECT t.invitation_id FROM invitation_token t WHERE t.token_hash = $1)`,
      [hashToken(token)],
    );
    if (!row) return null;
    return { ...row, questions: await this.questionsOf(row.retrospective_id) };
  }

  /**
   * A run's questions, a snapshot taken when it opened and never changed, so each process keeps the
   * runs it has seen rather than reading several kilobytes of JSON again for every form and post.
   */
  private async questionsOf(retrospectiveId: string): Promise<Question[]> {
    const cached = this.questions.get(retrospectiveId);
    if (cached) return cached;
    const [run] = await this.dataSource.query(`SELECT questions FROM retrospective WHERE id = $1`, [
      retrospectiveId,
    ]);
    if (this.questions.size >= QUESTION_CACHE_RUNS)
      this.questions.delete(this.questions.keys().next().value!);
    this.questions.set(retrospectiveId, run.questions);
    return run.questions;
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

  /**
   * Takes an erased person's words out of their answers in confidential and named runs, in the erasure's
   * transaction, and returns them (their numbers stay for the aggregates).
   */
  eraseFreeText(manager: EntityManager, workspaceId: string, participantId: string): Promise<string[]> {
    return this.store.eraseFreeTextAnswers(manager, workspaceId, participantId);
  }
}
