import type { ReadinessGate } from '../../report-content';
import type { RolloutEvidence } from '../readiness-evidence';
import type { EffectiveThresholds } from '../readiness-thresholds';
import { pct, practiceShareGate } from './gate';

/** Passes when respondents over invited of the latest retrospectives reach `responseRateMin`. */
export function responseRateGate(
  evidence: RolloutEvidence,
  t: Pick<EffectiveThresholds, 'responseRateMin'>,
): ReadinessGate {
  return practiceShareGate(evidence, {
    key: 'response_rate',
    numbersOf: (s) => ({ invited: s.invited, responded: s.responded, responseRate: s.responseRate }),
    share: (s) => s.responseRate,
    minimum: ['responseRateMin', t.responseRateMin],
    noData: 'No data: nobody was invited to a retrospective in the reported quarters.',
    summary: (totals, share) =>
      `${totals.responded} of ${totals.invited} invited answered the latest retrospectives ` +
      `(${pct(share)}), against at least ${pct(t.responseRateMin)}.`,
  });
}
