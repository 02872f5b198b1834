import type { AnonymityMode, Audience, Level, StepKind } from '@luotsi/database';

/** A step of a quarter's plan with its day, not dispatched yet. */
export interface PlannedStep {
  quarterId: string;
  workspaceId: string;
  pilotId: string;
  organizationId: string;
  organizationTimeZone: string;
  coachId: string | null;
  key: string;
  kind: StepKind;
  template: string;
  audience: Audience;
  /** The level of the audience `level`; null for the others. */
  audienceLevel: Level | null;
  /** The retrospective a `retrospective_open` step opens; all null for the built-in, anonymous, k = 5. */
  questionSetRef: string | null;
  anonymity: AnonymityMode | null;
  minGroupSize: number | null;
  /** Local `HH:MM`. */
  sendTime: string;
  /** `YYYY-MM-DD`. */
  stepDate: string;
  /** The step's day at its send time in the organization's zone. */
  sendsAt: Date;
  /** The quarter's activation day in the organization's zone (`YYYY-MM-DD`); null before it. */
  activatedOn: string | null;
  /** Today in the organization's zone (`YYYY-MM-DD`). */
  today: string;
}

export interface StepPlanScope {
  now: Date;
  /** One workspace's quarters; every workspace's when left out (the scheduler). */
  workspaceId?: string;
  /** Only these quarters. */
  quarterIds?: string[];
  /** Only steps dated up to this day (`YYYY-MM-DD`). */
  until?: string;
  /** Besides the active quarters of running pilots, the report step of quarters closed in these last days. */
  reportsClosedWithinDays?: number;
  /**
   * Every step of the plan of the given quarters, whatever their state and whether dispatched already
   * (a quarter's calendar); the scheduler leaves it out.
   */
  wholePlan?: boolean;
}

/** A step dispatched for a quarter: its day, when, and how many it reached (or why it was skipped). */
export interface StepDispatch {
  stepKey: string;
  kind: string;
  /** `YYYY-MM-DD`. */
  stepDate: string;
  dispatchedAt: Date;
  recipients: number;
  skippedReason: string | null;
}
