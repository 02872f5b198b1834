import type { Quarter } from '@luotsi/database';
import type { CadencePlan, ConfidenceGrid, DeliveryReport } from '@luotsi/domain';

export type StepStatus = 'sent' | 'failed' | 'skipped' | 'scheduled' | 'notSent';

export interface TimelineRow {
  key: string;
  kind: string;
  date: string;
  sendTime: string | null;
  status: StepStatus;
  recipients: number | null;
  skippedReason: string | null;
  counts: { sent: number; waiting: number; failed: number; suppressed: number } | null;
}

const DAY_MS = 24 * 3600 * 1000;

/** `YYYY-MM-DD` plus `days`, as the database adds days to a date. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The quarter's cadence as a timeline: every step of the rollout's plan on its day, with what became of
 * it (the dispatch and its mail, from the delivery report), plus dispatched steps the plan no longer has.
 * A step not dispatched is still scheduled while the quarter can send; in a closed quarter it never went.
 */
export function timelineOf(quarter: Quarter, plan: CadencePlan, report: DeliveryReport): TimelineRow[] {
  const dispatched = new Map(report.steps.map((step) => [step.stepKey, step]));
  const rows: TimelineRow[] = plan.steps.map((step) => {
    const date = addDays(step.anchor === 'start' ? quarter.startsOn : quarter.endsOn, step.offsetDays);
    const base = { key: step.key, kind: step.kind, date, sendTime: step.sendTime };
    const dispatch = dispatched.get(step.key);
    dispatched.delete(step.key);
    if (!dispatch)
      return {
        ...base,
        status: quarter.state === 'closed' ? 'notSent' : 'scheduled',
        recipients: null,
        skippedReason: null,
        counts: null,
      };
    return { ...base, ...outcome(dispatch) };
  });
  for (const dispatch of dispatched.values())
    rows.push({
      key: dispatch.stepKey,
      kind: dispatch.kind,
      date: dispatch.stepDate,
      sendTime: null,
      ...outcome(dispatch),
    });
  return rows.sort(
    (a, b) => cmp(a.date, b.date) || cmp(a.sendTime ?? '', b.sendTime ?? '') || cmp(a.key, b.key),
  );
}

function outcome(dispatch: DeliveryReport['steps'][number]) {
  const c = dispatch.counts;
  const counts = {
    sent: c.sent,
    waiting: c.pending + c.queued + c.deferred,
    failed: c.failed,
    suppressed: c.suppressed,
  };
  const status: StepStatus = dispatch.skippedReason ? 'skipped' : c.failed > 0 ? 'failed' : 'sent';
  return { status, recipients: dispatch.recipients, skippedReason: dispatch.skippedReason, counts };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface GridCell {
  week: number;
  checkedIn: boolean;
  confidence: number | null;
  /** A week still to come: nothing is missing yet. */
  future: boolean;
}

export interface CheckInGrid {
  weeks: number[];
  rows: { keyResultId: string; title: string; cells: GridCell[] }[];
}

/** Rows of key results, columns of the quarter's weeks: a check-in and its confidence, or none. */
export function checkInGrid(signals: ConfidenceGrid): CheckInGrid {
  const weeks = Array.from({ length: signals.weeksInQuarter }, (_, i) => i + 1);
  return {
    weeks,
    rows: signals.confidence.map((kr) => ({
      keyResultId: kr.keyResultId,
      title: kr.title,
      cells: weeks.map((week) => {
        const point = kr.weeks.find((p) => p.week === week);
        return {
          week,
          checkedIn: !!point,
          confidence: point?.confidence ?? null,
          future: !point && week > signals.currentWeek,
        };
      }),
    })),
  };
}
