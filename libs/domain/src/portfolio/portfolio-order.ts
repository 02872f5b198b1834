import { LOW_RESPONSE_RATE } from '../reports';
import { READINESS_THRESHOLDS } from '../reports';
import type { LearningFlag } from '../reports';

/**
 * Below these a rate needs the coach: the learning report's low-response flag, and the readiness
 * gate's default check-in rhythm.
 */
export const LOW_CHECKIN_RHYTHM = READINESS_THRESHOLDS.checkinRhythmMin.default;

export type AttentionReason =
  | 'failed_deliveries'
  | 'flags'
  | 'reports_due'
  | 'waiting_for_review'
  | 'low_response_rate'
  | 'low_checkin_rhythm';

/** What the order looks at; the portfolio's rows carry more. */
export interface Attention {
  organization: { name: string };
  pilot: { id: string; name: string; waitingForReview?: boolean };
  failedDeliveries: number;
  flags: LearningFlag[];
  reports: { due: unknown[] };
  responseRate: { rate: number | null } | null;
  checkInRhythm: { share: number | null } | null;
}

export const PORTFOLIO_ORDER =
  'What needs the coach first: more failed deliveries, then more flags, then more reports due, then a ' +
  'pilot waiting for review, then more ' +
  `rates below their mark (response rate under ${LOW_RESPONSE_RATE * 100}%, check-in rhythm under ` +
  `${LOW_CHECKIN_RHYTHM * 100}%) and the lower such rate; the rest by organization and pilot name.`;

const lowRates = (p: Attention): number[] => [
  ...(p.responseRate?.rate != null && p.responseRate.rate < LOW_RESPONSE_RATE ? [p.responseRate.rate] : []),
  ...(p.checkInRhythm?.share != null && p.checkInRhythm.share < LOW_CHECKIN_RHYTHM
    ? [p.checkInRhythm.share]
    : []),
];

/** Why a pilot needs the coach now, in the order the portfolio sorts by. */
export function attentionOf(p: Attention): AttentionReason[] {
  const reasons: AttentionReason[] = [];
  if (p.failedDeliveries > 0) reasons.push('failed_deliveries');
  if (p.flags.length > 0) reasons.push('flags');
  if (p.reports.due.length > 0) reasons.push('reports_due');
  if (p.pilot.waitingForReview) reasons.push('waiting_for_review');
  if (p.responseRate?.rate != null && p.responseRate.rate < LOW_RESPONSE_RATE)
    reasons.push('low_response_rate');
  if (p.checkInRhythm?.share != null && p.checkInRhythm.share < LOW_CHECKIN_RHYTHM)
    reasons.push('low_checkin_rhythm');
  return reasons;
}

/** The portfolio's order (see PORTFOLIO_ORDER): a comparator for Array.prototype.sort. */
export function comparePortfolio(a: Attention, b: Attention): number {
  const lowA = lowRates(a);
  const lowB = lowRates(b);
  return (
    b.failedDeliveries - a.failedDeliveries ||
    b.flags.length - a.flags.length ||
    b.reports.due.length - a.reports.due.length ||
    Number(b.pilot.waitingForReview ?? false) - Number(a.pilot.waitingForReview ?? false) ||
    lowB.length - lowA.length ||
    (lowA.length ? Math.min(...lowA) - Math.min(...lowB) : 0) ||
    a.organization.name.localeCompare(b.organization.name) ||
    a.pilot.name.localeCompare(b.pilot.name) ||
    a.pilot.id.localeCompare(b.pilot.id)
  );
}
