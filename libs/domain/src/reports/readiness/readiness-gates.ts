import { LEVELS, type Level, type ReadinessVerdict, type Sector } from '@luotsi/database';
import type { NextWave, ReadinessGate, ReadinessGateKey } from '../report-content';
import type { RolloutEvidence, WaveEvidence } from './readiness-evidence';
import type { EffectiveThresholds } from './readiness-thresholds';
import {
  capacityGate,
  checkinRhythmGate,
  outcomeHealthGate,
  participationGate,
  peopleReadinessGate,
  responseRateGate,
  trendGate,
} from './gates';

/** A failure of either of these alone means the organization is not ready to widen. */
export const HARD_GATES: readonly ReadinessGateKey[] = ['people_readiness', 'checkin_rhythm'];
/** This many failing gates make `not_ready` whatever they are. */
export const NOT_READY_FAILURES = 3;

/** Judges the evidence against the thresholds: one gate per key of READINESS_GATES, in that order. */
export function judgeGates(
  evidence: RolloutEvidence,
  wave: NextWave,
  waveEvidence: WaveEvidence,
  thresholds: EffectiveThresholds,
): ReadinessGate[] {
  return [
    participationGate(evidence, thresholds),
    responseRateGate(evidence, thresholds),
    checkinRhythmGate(evidence, thresholds),
    outcomeHealthGate(evidence, thresholds),
    peopleReadinessGate(evidence, thresholds),
    trendGate(evidence, thresholds),
    capacityGate(wave, waveEvidence, thresholds),
  ];
}

/** Ready when every gate passes; not ready when a hard gate or three or more fail; otherwise with conditions. */
export function verdictOf(gates: readonly ReadinessGate[]): {
  verdict: ReadinessVerdict;
  conditions: ReadinessGateKey[];
} {
  const conditions = gates.filter((g) => !g.passed).map((g) => g.key);
  if (!conditions.length) return { verdict: 'ready', conditions };
  const hard = conditions.some((key) => HARD_GATES.includes(key));
  return {
    verdict: hard || conditions.length >= NOT_READY_FAILURES ? 'not_ready' : 'ready_with_conditions',
    conditions,
  };
}

/** The levels an organization of this sector has: volunteers only in a non-profit. */
export const sectorLevels = (sector: Sector): Level[] =>
  LEVELS.filter((level) => level !== 'volunteers' || sector === 'nonprofit');

/**
 * The proposed next wave. Size: what is left of the rollout's target headcount after the people already
 * in pilots, but at most `waveSizeFactor` times the largest pilot so far (a wave grows by steps the
 * coaches have seen work). Levels: the piloted ones, then those of the organization not yet piloted.
 * Coaches: the size over the participants one coach takes. Start: the quarter after the latest reported.
 */
export function proposeNextWave(input: {
  targetHeadcount: number;
  sector: Sector;
  wave: WaveEvidence;
  thresholds: EffectiveThresholds;
  startQuarter: string;
}): NextWave {
  const { wave, thresholds } = input;
  const remaining = Math.max(0, input.targetHeadcount - wave.participantsInPilots);
  const bySteps = Math.floor(thresholds.waveSizeFactor * wave.largestPilot);
  const size = Math.min(remaining, bySteps);
  const piloted = LEVELS.filter((level) => wave.pilotedLevels.includes(level));
  const newLevels = sectorLevels(input.sector).filter((level) => !piloted.includes(level));
  return {
    size,
    levels: [...piloted, ...newLevels],
    newLevels,
    coachesNeeded: Math.ceil(size / thresholds.participantsPerCoachMax),
    startQuarter: input.startQuarter,
    basis: {
      targetHeadcount: input.targetHeadcount,
      participantsInPilots: wave.participantsInPilots,
      remainingHeadcount: remaining,
      largestPilot: wave.largestPilot,
      waveSizeFactor: thresholds.waveSizeFactor,
      participantsPerCoachMax: thresholds.participantsPerCoachMax,
    },
  };
}
