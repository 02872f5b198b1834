import type { QuietPeriod } from '@luotsi/database';
import { dayOutsideQuietPeriods } from '../common/quiet-periods';

/** Why a step was not sent: a later step of its kind took its place after a quiet period. */
export const QUIET_PERIOD_SKIP = 'quiet period';

/** A step as the shifting sees it: its quarter, what it sends, and its day. */
export interface ShiftableStep {
  quarterId: string;
  kind: string;
  template: string;
  stepDate: string;
}

export interface ShiftedStep<S> {
  step: S;
  /** The day it goes out: its own, or the first after the quiet period it fell in. */
  sendsOn: string;
  /** Whether a quiet period moved it. */
  moved: boolean;
  /**
   * Set when a later step of the same quarter, kind and template goes out on the same day after a quiet
   * period: only that latest one is sent, so people do not get four check-in requests on one morning.
   */
  supersededBy: S | null;
}

/**
 * Moves each step out of the quiet periods of its organization and, of the steps of one quarter, kind
 * and template that then go out on the same day (at least one of them moved there), keeps the latest by
 * its own day; the others are superseded.
 */
export function shiftOutOfQuietPeriods<S extends ShiftableStep>(
  steps: readonly S[],
  periodsOf: (step: S) => readonly QuietPeriod[],
): ShiftedStep<S>[] {
  const shifted = steps.map((step) => {
    const sendsOn = dayOutsideQuietPeriods(step.stepDate, periodsOf(step));
    return { step, sendsOn, moved: sendsOn !== step.stepDate, supersededBy: null as S | null };
  });
  const groups = new Map<string, typeof shifted>();
  for (const entry of shifted) {
    const key = [entry.step.quarterId, entry.step.kind, entry.step.template, entry.sendsOn].join('|');
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  for (const group of groups.values()) {
    if (group.length < 2 || !group.some((entry) => entry.moved)) continue;
    const latest = group.reduce((a, b) => (b.step.stepDate > a.step.stepDate ? b : a));
    for (const entry of group) if (entry !== latest) entry.supersededBy = latest.step;
  }
  return shifted;
}
