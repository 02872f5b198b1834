import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AnonymityMode, Locale } from '@luotsi/database';
import { Clock } from '../common/clock';
import { InputIssue } from '../common/errors';
import { Refusal, refused, Refused, unknownLink } from '../common/refusal';
import { hashToken } from '../common/tokens';
import { normalizeAnswers, Question, validateAnswers } from './question-set';
import { AnswerBatches } from './answer-batches';
import { AnswersStore } from './answers.store';
import type { InvitationRow } from './answer-rows';
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
 * The participant's side: a token opens a form; a submission is stored exactly once, with the level
 * and language the invitation froze when the run opened. In an anonymous run the stored answer
 * carries no participant, no invitation and no time, and it waits to join the run's answers in a
 * shuffled batch of at least k.
 */
@Injectable()
export class ResponseService {
  private readonly questions = new Map<string, Question[]>();

  constructor(
    private readonly clock: Clock,
    private readonly batches: AnswerBatches,
    private readonly store: AnswersStore,
    private readonly runs: SurveysStore,
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
    const outcome = await this.store.saveAnswer(anonymous, {
      invitationId: row.invitation_id,
      now,
      workspaceId: row.workspace_id,
      retrospectiveId: row.retrospective_id,
      answers,
      minGroupSize: row.min_group_size,
      participantId: row.participant_id,
      timeZone: row.time_zone,
    });
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
    const row = await this.store.findInvitation(hashToken(token));
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
    const questions = (await this.runs.questionsOf(retrospectiveId)) as Question[];
    if (this.questions.size >= QUESTION_CACHE_RUNS)
      this.questions.delete(this.questions.keys().next().value!);
    this.questions.set(retrospectiveId, questions);
    return questions;
  }

  private async context(
    row: NonNullable<Awaited<ReturnType<ResponseService['find']>>>,
  ): Promise<FormContext> {
    const previous =
      row.anonymity === 'anonymous'
        ? null
        : await this.store.previousAnswers(row.retrospective_id, row.participant_id);
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
