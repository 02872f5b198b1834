import type { ReadinessGate } from '../../report-content';
import type { PilotEvidence, RolloutEvidence } from '../readiness-evidence';
import type { EffectiveThresholds } from '../readiness-thresholds';
import { GateNumbers, judging, leftOutNote, NO_REPORTS, WITHHELD } from './gate';

const movement = (p: PilotEvidence) =>
  `${p.report.pilotName} ${p.trend.previous} (${p.trend.previousQuarter}) → ${p.trend.latest} (${p.trend.latestQuarter})`;

/**
 * Passes when no pilot's headline mean fell by more than `trendTolerance` from its previous quarter to its
 * latest. A pilot without two quarters with a mean is not compared; with no pilot compared, no data.
 */
export function trendGate(evidence: RolloutEvidence, t: Pick<EffectiveThresholds, 'trendTolerance'>): ReadinessGate {
  const compared = evidence.pilots.flatMap((pilot) =>
    pilot.trend.change === null ? [] : [{ pilot, change: pilot.trend.change }],
  );
  const falling = compared.filter((c) => c.change < -t.trendTolerance);
  const question = evidence.pilots.find((p) => p.trend.question)?.trend.question ?? null;
  const numbers: GateNumbers = {
    question,
    pilotsCompared: compared.length,
    pilotsFalling: falling.length,
    largestFall: compared.length ? Math.min(0, ...compared.map((c) => c.change)) : null,
    fallingPilots: falling.map((c) => c.pilot.report.pilotName).join(', '),
  };
  const judge = judging('trend', evidence, numbers, { trendTolerance: t.trendTolerance }, (p) => ({ ...p.trend }));
  if (!evidence.pilots.length) return judge(false, NO_REPORTS);
  if (!compared.length)
    return judge(
      false,
      `No data: no pilot has two quarters with a published mean of ` +
        `${question ?? 'a 0–10 headline question'} yet (${WITHHELD}).`,
    );
  const notCompared = evidence.pilots.filter((p) => p.trend.change === null).map((p) => p.report.pilotName);
  const leftOut = leftOutNote('Not compared, without two quarters with a published mean', notCompared);
  return judge(
    falling.length === 0,
    (falling.length
      ? `The mean of ${question} fell over the last two quarters in ${falling.map((c) => movement(c.pilot)).join('; ')}` +
        (t.trendTolerance ? `, more than the tolerated ${t.trendTolerance}.` : '.')
      : `The mean of ${question} did not fall over the last two quarters in any of the ${compared.length} ` +
        `pilot(s) with two quarters: ${compared.map((c) => movement(c.pilot)).join('; ')}.`) + leftOut,
  );
}
