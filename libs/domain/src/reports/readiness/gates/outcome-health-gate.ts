import type { ReadinessGate } from '../../report-content';
import type { PracticeSums, RolloutEvidence } from '../readiness-evidence';
import type { EffectiveThresholds } from '../readiness-thresholds';
import { GateNumbers, judging, NO_REPORTS, pct } from './gate';

const numbersOf = (sums: PracticeSums): GateNumbers => ({
  aspirationalScored: sums.aspirationalScored,
  aspirationalAverage: sums.aspirationalAverage,
  committedTotal: sums.committedTotal,
  committedMet: sums.committedMet,
  committedMetShare: sums.committedMetShare,
});

/**
 * Passes when the aspirational average is in the healthy band (`aspirationalMin` inclusive to
 * `aspirationalMax` exclusive) and the share of committed key results met reaches `committedMetMin`.
 */
export function outcomeHealthGate(
  evidence: RolloutEvidence,
  t: Pick<EffectiveThresholds, 'aspirationalMin' | 'aspirationalMax' | 'committedMetMin'>,
): ReadinessGate {
  const { totals } = evidence;
  const judge = judging(
    'outcome_health',
    evidence,
    numbersOf(totals),
    { aspirationalMin: t.aspirationalMin, aspirationalMax: t.aspirationalMax, committedMetMin: t.committedMetMin },
    (p) => numbersOf(p.practice),
  );
  const average = totals.aspirationalAverage;
  const met = totals.committedMetShare;
  if (!evidence.pilots.length) return judge(false, NO_REPORTS);
  if (average === null || met === null) {
    const missing = [
      average === null ? 'no scored aspirational key results' : null,
      met === null ? 'no committed key results' : null,
    ].filter(Boolean);
    return judge(false, `No data: the reported quarters have ${missing.join(' and ')}.`);
  }
  const inBand = average >= t.aspirationalMin && average < t.aspirationalMax;
  const reading =
    average >= t.aspirationalMax ? 'too safe' : average < t.aspirationalMin ? 'below the healthy band' : 'healthy';
  return judge(
    inBand && met >= t.committedMetMin,
    `Aspirational key results averaged ${average} over ${totals.aspirationalScored} scored (${reading}; healthy ` +
      `from ${t.aspirationalMin} to below ${t.aspirationalMax}), and ${totals.committedMet} of ` +
      `${totals.committedTotal} committed key results were met (${pct(met)}, against at least ` +
      `${pct(t.committedMetMin)}).`,
  );
}
