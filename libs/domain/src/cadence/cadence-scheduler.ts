import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Audience, StepKind } from '@luotsi/database';
import { Clock } from '../common/clock';
import { HandlesStep, Reactions } from '../common/reactions';
import { DateTime } from 'luxon';
import { MailDue, MailRecipients, OutboxMail, OutboxService } from '../delivery';
import { OrganizationService } from '../organizations';
import { CadenceStore } from './cadence.store';
import { QUIET_PERIOD_SKIP, shiftOutOfQuietPeriods } from './quiet-periods';
import type { PlannedStep } from './step-plan';

/** A quarter's step that is due to be fanned out. */
export interface DueStep extends Omit<PlannedStep, 'sendsAt' | 'activatedOn' | 'today'> {
  /** Set when the step's day passed before the quarter was activated. */
  skippedReason: string | null;
}

/** Steps dated more than this before the quarter's activation are skipped, not sent late in a burst. */
const LATE_START_GRACE_DAYS = 2;
/** The step that opens a quarter: a quarter started late still sends it, on the day it started. */
const KICKOFF_TEMPLATE = 'prompt-kickoff';

/**
 * Turns due cadence steps into outbox rows, set-based and idempotent: a step of a quarter is
 * dispatched once (a unique row in cadence_dispatch), and each of its mails once (a unique outbox key),
 * however many schedulers run at the same time. Each step kind goes to its declared `@HandlesStep`
 * handler: the mail kinds to `fanOutMail` here, the others to the feature that owns them.
 */
@Injectable()
export class CadenceScheduler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: CadenceStore,
    private readonly clock: Clock,
    private readonly reactions: Reactions,
    private readonly outbox: OutboxService,
    private readonly organizations: OrganizationService,
  ) {}

  /** Dispatches every step whose day has come (or comes within a day, for time zones ahead of UTC). */
  async dispatchDue(): Promise<number> {
    const due = await this.findDue();
    let dispatched = 0;
    for (const step of due) {
      const done = await this.dataSource.transaction(async (manager) => this.dispatch(step, manager));
      if (done) dispatched++;
    }
    return dispatched;
  }

  private async dispatch(step: DueStep, manager: EntityManager): Promise<boolean> {
    const claimed = await this.store.claimDispatch(step, manager);
    if (!claimed) return false; // another scheduler got there first
    if (step.skippedReason) return true;
    const recipients = await this.reactions.stepHandler(step.kind)(step, manager);
    await this.store.setRecipients(claimed, recipients, manager);
    return true;
  }

  /**
   * One outbox row per recipient of the step's audience; due at the step's local send time in each
   * recipient's time zone. All that a prompt or a check-in request does (the check-in link is added as
   * each mail goes).
   */
  @HandlesStep('prompt', 'checkin_request')
  async fanOutMail(step: DueStep, manager: EntityManager): Promise<number> {
    return this.outbox.fanOut(mailOfStep(step), AUDIENCE[step.audience](step), manager);
  }

  /**
   * Steps of active quarters of running pilots whose day has come (or comes within a day, for time zones
   * ahead of UTC) and that were not dispatched yet; the report step also for a quarter closed in the
   * last two weeks. Mail steps fan out up to a day early (each row carries its person's own due time);
   * steps that act when dispatched wait for their send time in the organization's zone.
   */
  async findDue(): Promise<DueStep[]> {
    const now = this.clock.now();
    const until = utcDay(now, 1);
    const steps = await this.store.plannedSteps({
      now,
      until,
      reportsClosedWithinDays: REPORT_AFTER_CLOSE_DAYS,
    });
    const quiet = await this.organizations.quietPeriodsOf(steps.map((step) => step.organizationId));
    // Quiet periods keep mail from participants; the coach's and sponsors' steps go as planned.
    const periodsOf = (step: PlannedStep) =>
      step.audience === 'coach' || step.audience === 'sponsors' ? [] : (quiet.get(step.organizationId) ?? []);
    return shiftOutOfQuietPeriods(steps.map(startedLate), periodsOf)
      .flatMap(({ step, sendsOn, moved, supersededBy }) => {
        if (!moved) return [{ step, skippedReason: step.skippedReason }];
        // Moved out of a quiet period: due on the first day after it, at the step's own time.
        const sendsAt = DateTime.fromISO(`${sendsOn}T${step.sendTime}`, {
          zone: step.organizationTimeZone,
        }).toJSDate();
        if (sendsOn > until) return [];
        const skippedReason = step.skippedReason ?? (supersededBy ? QUIET_PERIOD_SKIP : null);
        return [{ step: { ...step, stepDate: sendsOn, sendsAt }, skippedReason }];
      })
      .filter(({ step }) => !ACT_WHEN_DISPATCHED.includes(step.kind) || step.sendsAt <= now)
      .map(
        ({
          step: { sendsAt: _sendsAt, activatedOn: _activatedOn, today: _today, ...step },
          skippedReason,
        }) => ({
          ...step,
          skippedReason,
        }),
      );
  }
}

/**
 * A step of a quarter started after the step's day: the kickoff goes on the day the quarter started;
 * check-in requests before that day are skipped (the next week's is the first); any other step more
 * than LATE_START_GRACE_DAYS late is skipped, not sent late in a burst.
 */
function startedLate(step: PlannedStep): PlannedStep & { skippedReason: string | null } {
  const { activatedOn } = step;
  if (!activatedOn || step.stepDate >= activatedOn) return { ...step, skippedReason: null };
  if (step.template === KICKOFF_TEMPLATE) return { ...step, stepDate: activatedOn, skippedReason: null };
  const late =
    step.kind === 'checkin_request' || daysBetween(step.stepDate, activatedOn) > LATE_START_GRACE_DAYS;
  return { ...step, skippedReason: late ? 'the day passed before the quarter was activated' : null };
}

const DAY_MS = 24 * 3600 * 1000;
/** A closed quarter's report step is still dispatched this many days after the close. */
const REPORT_AFTER_CLOSE_DAYS = 14;

/** The UTC day `days` after `at`, `YYYY-MM-DD`. */
const utcDay = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS).toISOString().slice(0, 10);

/** Whole days from one `YYYY-MM-DD` to another. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/**
 * Kinds whose handler acts the moment the step is dispatched (closing the survey, building the
 * report) rather than writing mail rows that each wait for their own due time.
 */
const ACT_WHEN_DISPATCHED: StepKind[] = ['retrospective_close', 'report'];

/**
 * Who a step's audience is, as the outbox takes it. Non-responders of a retrospective's close are those
 * who did not answer it; of a prompt or a check-in request, those with no check-in in the quarter yet.
 */
const AUDIENCE: Record<Audience, (step: DueStep) => MailRecipients> = {
  participants: () => ({ participants: 'all' }),
  owners: () => ({ participants: 'owners' }),
  level: (step) => ({ participants: 'all', level: step.audienceLevel ?? undefined }),
  non_responders: (step) => ({
    participants: step.kind === 'retrospective_close' ? 'not_answered' : 'not_checked_in',
  }),
  coach: (step) => ({ members: step.coachId ? [step.coachId] : [] }),
  sponsors: (step) => ({ sponsorsOf: step.organizationId }),
};

/** A step's mail is due on its day at its local send time: each participant's zone, else the organization's. */
export const dueOfStep = (step: DueStep): MailDue => ({
  day: step.stepDate,
  time: step.sendTime,
  zone: step.organizationTimeZone,
});

/** The outbox's view of a step's mail: its quarter, its key, kind and template, and when it is due. */
const mailOfStep = (step: DueStep): OutboxMail => ({
  workspaceId: step.workspaceId,
  quarterId: step.quarterId,
  pilotId: step.pilotId,
  kind: step.kind,
  template: step.template,
  origin: { stepKey: step.key },
  due: dueOfStep(step),
});
