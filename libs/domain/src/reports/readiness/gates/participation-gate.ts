import type { ReadinessGate } from '../../report-content';
import type { RolloutEvidence } from '../readiness-evidence';
import type { EffectiveThresholds } from '../readiness-thresholds';
import { pct, practiceShareGate } from './gate';

/**
 * Passes when the share of the pilots' participants who took part in their latest reported quarter
 * (answered the retrospective or checked in) reaches `participationMin`.
 */
export function participationGate(
  evidence: RolloutEvidence,
  t: Pick<EffectiveThresholds, 'participationMin'>,
): ReadinessGate {
  return practiceShareGate(evidence, {
    key: 'participation',
    numbersOf: (s) => ({ participants: s.participants, tookPart: s.tookPart, participation: s.participation }),
    share: (s) => s.participation,
    minimum: ['participationMin', t.participationMin],
    noData: 'No data: the learning reports count no participants.',
    summary: (totals, share) =>
      `${pct(share)} of the pilots' ${totals.participants} participants took part in their latest ` +
      `reported quarter (${totals.tookPart} answered the retrospective or checked in, counting per pilot the ` +
      `larger of the two), against at least ${pct(t.participationMin)}.`,
  });
}
