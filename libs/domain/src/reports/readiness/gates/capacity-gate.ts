import type { NextWave, ReadinessGate } from '../../report-content';
import type { WaveEvidence } from '../readiness-evidence';
import type { EffectiveThresholds } from '../readiness-thresholds';
import type { GateNumbers } from './gate';

/**
 * Passes when the next wave's participants per available coach stay within `participantsPerCoachMax`.
 * Coaches available are `coachesAvailable` when set, otherwise the pilots' distinct coaches. A next wave
 * of nobody passes. Capacity counts the pilots' people and coaches, not anything a learning report holds.
 */
export function capacityGate(
  wave: Pick<NextWave, 'size' | 'coachesNeeded'>,
  waveEvidence: Pick<WaveEvidence, 'pilotCoaches'>,
  t: Pick<EffectiveThresholds, 'participantsPerCoachMax' | 'coachesAvailable'>,
): ReadinessGate {
  const set = t.coachesAvailable;
  const coaches = set ?? waveEvidence.pilotCoaches;
  const perCoach = coaches > 0 ? Math.round((wave.size / coaches) * 10_000) / 10_000 : null;
  const numbers: GateNumbers = {
    nextWaveSize: wave.size,
    coachesAvailable: coaches,
    coachesFrom: set !== undefined ? 'threshold' : 'pilots',
    participantsPerCoach: perCoach,
    coachesNeeded: wave.coachesNeeded,
  };
  const judge = (passed: boolean, summary: string): ReadinessGate => ({
    key: 'capacity',
    passed,
    summary,
    numbers,
    thresholds: { participantsPerCoachMax: t.participantsPerCoachMax },
    learningReports: [],
  });
  if (wave.size === 0) return judge(true, 'The proposed next wave has nobody left to take in, so it needs no coach.');
  if (perCoach === null)
    return judge(
      false,
      `No coach is available for the next wave of ${wave.size}: assign coaches to the pilots or set ` +
        `coachesAvailable; it needs ${wave.coachesNeeded}.`,
    );
  return judge(
    perCoach <= t.participantsPerCoachMax,
    `The next wave of ${wave.size} with ${coaches} coach(es) available ` +
      `(${set !== undefined ? 'as set for the rollout' : "the pilots' coaches"}) is ${perCoach} participants per ` +
      `coach, against at most ${t.participantsPerCoachMax}; it needs ${wave.coachesNeeded}.`,
  );
}
