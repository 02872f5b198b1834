import { Injectable } from '@nestjs/common';
import type { Audience, PilotState, QuarterState, ReportStatus, StepKind } from '@luotsi/database';
import { Clock } from '../common/clock';
import { CadenceService, PlannedStep } from '../cadence';
import { OutboxService } from '../delivery';
import { round4 } from '../okrs';
import type { LearningFlag } from '../reports';
import { Tenancy } from '../tenancy/tenancy.service';
import { AttentionReason, attentionOf, comparePortfolio, PORTFOLIO_ORDER } from './portfolio-order';
import { PortfolioStore } from './portfolio.store';

/** How many of a quarter's next cadence steps the portfolio shows. */
export const NEXT_SENDS = 3;
/** Finished pilots are shown only while something of theirs still needs the coach. */
const FINISHED: PilotState[] = ['graduated', 'stopped'];

export interface PortfolioPilot {
  organization: { id: string; name: string };
  rollout: { id: string; goal: string };
  pilot: {
    id: string;
    name: string;
    waveNumber: number;
    state: PilotState;
    coach: { id: string; name: string } | null;
    /** Coached by the member asking. */
    mine: boolean;
    /**
     * Its active quarter has ended and it did not move on by itself: the coach asked it to wait for a
     * review, or it was its last quarter. The coach advances, reviews or turns waiting off.
     */
    waitingForReview: boolean;
  };
  /** The active quarter; else the latest closed one; else the first upcoming. */
  quarter: {
    id: string;
    label: string;
    number: number;
    state: QuarterState;
    startsOn: string;
    endsOn: string;
    /** The quarter's week now, from 1 (0 before it starts), capped at `weeksInQuarter`. */
    week: number;
    weeksInQuarter: number;
  } | null;
  /** Of the current quarter's retrospective; null when it has none yet. */
  responseRate: { invited: number; responded: number; rate: number | null } | null;
  /** Of the current quarter, counted as the practice signals count it; null before anyone owns a key result. */
  checkInRhythm: { due: number; done: number; share: number | null } | null;
  /** The current quarter's next cadence steps not yet dispatched (a running pilot's active quarter only). */
  nextSends: {
    key: string;
    kind: StepKind;
    audience: Audience;
    template: string;
    date: string;
    sendTime: string;
  }[];
  /** Outbox messages of the current quarter that failed for good (retry them from its deliveries). */
  failedDeliveries: number;
  /** The pilot's participants whose mail bounced, with the reason; they get no mail until a coach clears it. */
  bounced: { participantId: string; name: string; email: string; reason: string | null; bouncedAt: string }[];
  reports: {
    /** Quarters closed (or whose retrospective closed) without a ready learning report. */
    due: { quarterId: string; quarterLabel: string; status: ReportStatus | 'missing' }[];
    /** The latest ready learning report. */
    ready: { id: string; quarterId: string; quarterLabel: string; builtAt: string | null } | null;
  };
  /** The flags of the latest ready learning report. */
  flags: LearningFlag[];
  /** Why the pilot needs the coach, in the order the portfolio sorts by. */
  attention: AttentionReason[];
}

export interface Portfolio {
  generatedAt: string;
  /** The sort rule, in words. */
  order: string;
  items: PortfolioPilot[];
}

/** A pilot with its organization, rollout, coach and current quarter (the week now, capped at its weeks). */
export interface PilotRow {
  id: string;
  name: string;
  waveNumber: number;
  state: PilotState;
  coachId: string | null;
  coachName: string | null;
  organizationId: string;
  organizationName: string;
  rolloutId: string;
  goal: string;
  quarterId: string | null;
  label: string;
  number: number;
  quarterState: QuarterState;
  startsOn: string;
  endsOn: string;
  week: number;
  weeksInQuarter: number;
  waitingForReview: boolean;
}

/** A participant of a pilot whose mail bounced. */
export interface BouncedRow {
  pilotId: string;
  participantId: string;
  name: string;
  email: string;
  reason: string | null;
  bouncedAt: Date;
}

/** A quarter that has, or should have, a learning report, with the report if there is one. */
export interface ReportRow {
  pilotId: string;
  quarterId: string;
  label: string;
  quarterClosed: boolean;
  reportId: string | null;
  status: ReportStatus | null;
  builtAt: Date | null;
  flags: LearningFlag[] | null;
}

/**
 * The coach's morning view: every pilot of every organization the member coaches a pilot in (an owner
 * sees the whole workspace), what is happening in its current quarter, and what needs doing, sorted by
 * need. A handful of set-based queries over all pilots at once, scoped to the actor's workspace.
 */
@Injectable()
export class PortfolioService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: PortfolioStore,
    private readonly clock: Clock,
    private readonly cadence: CadenceService,
    private readonly outbox: OutboxService,
  ) {}

  async portfolio(): Promise<Portfolio> {
    this.tenancy.requireRole('owner', 'coach');
    const actor = this.tenancy.actor;
    const workspaceId = actor.workspaceId;
    const now = this.clock.now();

    const pilots = await this.store.pilots(workspaceId, actor.role === 'owner' ? null : actor.memberId, now);
    const pilotIds = pilots.map((p) => p.id);
    const quarterIds = pilots.flatMap((p) => (p.quarterId ? [p.quarterId] : []));
    const weeks = pilots.flatMap((p) => (p.quarterId ? [p.week] : []));

    const [rates, rhythms, failed, sends, reports, bounced] = await Promise.all([
      this.responseRates(workspaceId, quarterIds),
      this.rhythms(workspaceId, quarterIds, weeks),
      this.outbox.failedByQuarter(workspaceId, quarterIds),
      this.nextSends(workspaceId, quarterIds, now),
      this.reports(workspaceId, pilotIds),
      this.store.bounced(workspaceId, pilotIds),
    ]);

    const items = pilots.map((p): PortfolioPilot => {
      const pilotReports = reports.filter((r) => r.pilotId === p.id);
      const ready = pilotReports.filter((r) => r.status === 'ready').at(-1) ?? null;
      const rate = p.quarterId ? rates.get(p.quarterId) : undefined;
      const rhythm = p.quarterId ? rhythms.get(p.quarterId) : undefined;
      const row = {
        organization: { id: p.organizationId, name: p.organizationName },
        rollout: { id: p.rolloutId, goal: p.goal },
        pilot: {
          id: p.id,
          name: p.name,
          waveNumber: p.waveNumber,
          state: p.state,
          coach: p.coachId ? { id: p.coachId, name: p.coachName ?? '' } : null,
          mine: p.coachId !== null && p.coachId === actor.memberId,
          waitingForReview: p.waitingForReview === true,
        },
        quarter: p.quarterId
          ? {
              id: p.quarterId,
              label: p.label,
              number: p.number,
              state: p.quarterState,
              startsOn: p.startsOn,
              endsOn: p.endsOn,
              week: p.week,
              weeksInQuarter: p.weeksInQuarter,
            }
          : null,
        responseRate: rate
          ? { ...rate, rate: rate.invited ? round4(rate.responded / rate.invited) : null }
          : null,
        checkInRhythm: rhythm
          ? { ...rhythm, share: rhythm.due ? round4(rhythm.done / rhythm.due) : null }
          : null,
        nextSends: (p.quarterId && sends.get(p.quarterId)) || [],
        failedDeliveries: (p.quarterId && failed.get(p.quarterId)) || 0,
        bounced: bounced
          .filter((b) => b.pilotId === p.id)
          .map(({ pilotId: _, bouncedAt, ...b }) => ({ ...b, bouncedAt: new Date(bouncedAt).toISOString() })),
        reports: {
          due: pilotReports
            .filter((r) => r.quarterClosed && r.status !== 'ready')
            .map((r) => ({
              quarterId: r.quarterId,
              quarterLabel: r.label,
              status: r.status ?? ('missing' as const),
            })),
          ready: ready && {
            id: ready.reportId!,
            quarterId: ready.quarterId,
            quarterLabel: ready.label,
            builtAt: ready.builtAt ? new Date(ready.builtAt).toISOString() : null,
          },
        },
        flags: ready?.flags ?? [],
      };
      return { ...row, attention: attentionOf(row) };
    });

    return {
      generatedAt: now.toISOString(),
      order: PORTFOLIO_ORDER,
      items: items
        .filter(
          (item) => !FINISHED.includes(item.pilot.state) || item.failedDeliveries || item.reports.due.length,
        )
        .sort(comparePortfolio),
    };
  }

  private async responseRates(workspaceId: string, quarterIds: string[]) {
    const rows = await this.store.responseRates(workspaceId, quarterIds);
    return new Map(rows.map((r) => [r.quarterId, { invited: r.invited, responded: r.responded }]));
  }

  /**
   * The check-in rhythm of many quarters at once, by the practice signals' rule: for each owner of key
   * results, a week is due when the cadence sent that week's check-in request (up to the current
   * week), and done when any of the owner's key results has a check-in that week.
   */
  private async rhythms(workspaceId: string, quarterIds: string[], weeks: number[]) {
    const rows = await this.store.rhythms(workspaceId, quarterIds, weeks);
    return new Map(rows.map((r) => [r.quarterId, { due: r.due, done: r.done }]));
  }

  /** The plan as the scheduler reads it: the next steps from today on, in the organization's zone. */
  private async nextSends(workspaceId: string, quarterIds: string[], now: Date) {
    const steps = await this.cadence.plannedSteps({ now, workspaceId, quarterIds });
    const byQuarter = new Map<string, PortfolioPilot['nextSends']>();
    for (const step of steps.filter((s) => s.stepDate >= s.today).sort(byDayTimeKey)) {
      const sends = byQuarter.get(step.quarterId) ?? [];
      const { key, kind, audience, template, stepDate: date, sendTime } = step;
      if (sends.length < NEXT_SENDS)
        byQuarter.set(step.quarterId, [...sends, { key, kind, audience, template, date, sendTime }]);
    }
    return byQuarter;
  }

  /** Every quarter that has, or should have, a learning report; flags only of ready ones. */
  private reports(workspaceId: string, pilotIds: string[]): Promise<ReportRow[]> {
    return this.store.reports(workspaceId, pilotIds);
  }
}

/** Day, then send time, then key, compared as the database's C collation does. */
const byDayTimeKey = (a: PlannedStep, b: PlannedStep) =>
  compare(a.stepDate, b.stepDate) || compare(a.sendTime, b.sendTime) || compare(a.key, b.key);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
