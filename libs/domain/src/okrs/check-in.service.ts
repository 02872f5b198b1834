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
import { progress } from './okr-rules';
import { validateCheckIn } from './check-in-rules';
import { OkrsStore } from './okrs.store';
import { CheckInsStore, CheckInTokenRow as TokenRow } from './check-ins.store';

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

const isScoringWeek = (week: number, weeksInQuarter: number) => week > weeksInQuarter - SCORING_WEEKS;

/** Tokens are `c_` and 43 base64url characters; anything else is unknown without a query. */
const TOKEN = /^c_[A-Za-z0-9_-]{43}$/;

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
    private readonly okrs: OkrsStore,
    private readonly checkIns: CheckInsStore,
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
    const facts = await this.okrs.checkInFacts(manager, recipient.participantId, row.quarterId);
    if (!facts?.owns) return { checkIn: { scoring: false } };
    // The week as the mail itself states it (DeliveryService counts the same way).
    const start = DateTime.fromISO(facts.starts_on, { zone: facts.time_zone });
    const day = DateTime.fromJSDate(row.dueAt, { zone: facts.time_zone }).startOf('day');
    const week = Math.max(1, Math.floor(day.diff(start, 'days').days / 7) + 1);
    const endOfWeek = start.plus({ days: week * 7 + CHECK_IN_GRACE_DAYS }).toJSDate();
    const endOfQuarter = new Date(facts.ends_at.getTime() + CHECK_IN_GRACE_DAYS * 86_400_000);
    const expiresAt = endOfWeek < endOfQuarter ? endOfWeek : endOfQuarter;

    const { token, hash } = newToken('c');
    await this.checkIns.createToken(manager, {
      hash,
      workspaceId: row.workspaceId,
      quarterId: row.quarterId!,
      participantId: recipient.participantId,
      week,
      expiresAt,
    });
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
      if (!(await this.checkIns.claimToken(manager, hashToken(token), now))) {
        const used = await this.checkIns.tokenUsed(manager, hashToken(token));
        return refused(used ? USED : EXPIRED, shown);
      }
      const day = DateTime.fromJSDate(now, { zone: row.time_zone }).toISODate();
      for (const answer of answers) {
        const checkIn = {
          workspaceId: row.workspace_id,
          organizationId: row.organization_id,
          quarterId: row.quarter_id,
          keyResultId: answer.keyResultId,
          participantId: row.participant_id,
          week: row.week,
          currentValue: answer.currentValue,
          done: answer.done,
          confidence: answer.confidence,
          note: answer.note,
          recordedOn: day,
        };
        await this.checkIns.recordCheckIn(manager, checkIn);
        // The key result shows its latest week: an earlier week answered late does not overwrite it.
        await this.okrs.recordLatest(manager, checkIn, now);
        if (answer.score !== null)
          await this.okrs.scoreFromCheckIn(manager, answer.keyResultId, answer.score, now);
      }
      const scored = answers.filter((answer) => answer.score !== null).map((answer) => answer.keyResultId);
      if (scored.length) await this.okrs.rescoreObjectives(manager, scored);
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
    return this.checkIns.findToken(hashToken(token));
  }

  private async form(row: TokenRow): Promise<CheckInForm> {
    const rows = await this.okrs.checkInKeyResults(row.quarter_id, row.participant_id);
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
    await this.checkIns.forgetNotes(person.workspaceId, person.id, manager);
  }

  /** Retention: check-in tokens expired before `cutoff`, up to `limit`; how many went. */
  purgeExpiredTokens(cutoff: Date, limit: number): Promise<number> {
    return this.checkIns.purgeExpiredTokens(cutoff, limit);
  }
}
