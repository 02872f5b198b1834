import type { ReadinessGate } from '../../report-content';
import type { RolloutEvidence } from '../readiness-evidence';
import type { EffectiveThresholds } from '../readiness-thresholds';
import { pct, practiceShareGate } from './gate';

/** Passes when the share of due weekly check-ins done reaches `checkinRhythmMin`. */
export function checkinRhythmGate(
  evidence: RolloutEvidence,
  t: Pick<EffectiveThresholds, 'checkinRhythmMin'>,
): ReadinessGate {
  return practiceShareGate(evidence, {
    key: 'checkin_rhythm',
    numbersOf: (s) => ({ due: s.rhythmDue, done: s.rhythmDone, rhythm: s.rhythm }),
    share: (s) => s.rhythm,
    minimum: ['checkinRhythmMin', t.checkinRhythmMin],
    noData: 'No data: no check-ins were due in the reported quarters.',
    summary: (totals, share) =>
      `${totals.rhythmDone} of ${totals.rhythmDue} due weekly check-ins were done (${pct(share)}), ` +
      `against at least ${pct(t.checkinRhythmMin)}.`,
  });
}
