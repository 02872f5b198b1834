import { LEVELS, type Level, type ReadinessVerdict, type Sector } from '@luotsi/database';
import { ADKAR_ELEMENTS } from '../../surveys/question-set';
import type { NextWave, ReadinessGate, ReadinessGateKey } from '../report-content';
import type { PilotEvidence, RolloutEvidence, WaveEvidence } from './readiness-evidence';
import type { ReadinessThresholds } from './readiness-thresholds';

/** A failure of either of these alone means the organization is not ready to widen. */
export const HARD_GATES: readonly ReadinessGateKey[] = ['people_readiness', 'checkin_rhythm'];
/** This many failing gates make `not_ready` whatever they are. */
export const NOT_READY_FAILURES = 3;

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const NO_REPORTS = 'No data: no pilot of this rollout has a ready learning report.';
/** Why a learning report may publish no figure from answers (the publication policy). */
const WITHHELD = 'fewer than k answers, a run not yet closed, or not asked';

type Numbers = ReadinessGate['numbers'];

function gate(
  key: ReadinessGateKey,
  evidence: RolloutEvidence,
  passed: boolean,
  summary: string,
  numbers: Numbers,
  thresholds: Record<string, number>,
  byPilot?: (pilot: PilotEvidence) => Numbers,
): ReadinessGate {
  return {
    key,
    passed,
    summary,
    numbers,
    thresholds,
    learningReports: evidence.pilots.map((p) => p.report),
    ...(byPilot
      ? {
          byPilot: evidence.pilots.map((p) => ({
            pilotId: p.report.pilotId,
            pilotName: p.report.pilotName,
            quarterLabel: p.report.quarterLabel,
            numbers: byPilot(p),
          })),
        }
      : {}),
  };
}

/** Judges the evidence against the thresholds: one gate per key of READINESS_GATES, in that order. */
export function judgeGates(
  evidence: RolloutEvidence,
  wave: NextWave,
  waveEvidence: WaveEvidence,
  t: ReadinessThresholds,
): ReadinessGate[] {
  const none = evidence.pilots.length === 0;
  const totals = evidence.totals;

  const participation = (() => {
    const thresholds = { participationMin: t.participationMin! };
    const numbers = {
      participants: totals.participants,
      tookPart: totals.tookPart,
      participation: totals.participation,
    };
    const perPilot = (p: PilotEvidence) => ({
      participants: p.practice.participants,
      tookPart: p.practice.tookPart,
      participation: p.practice.participation,
    });
    if (none || totals.participation === null)
      return gate(
        'participation',
        evidence,
        false,
        none ? NO_REPORTS : 'No data: the learning reports count no participants.',
        numbers,
        thresholds,
        perPilot,
      );
    const passed = totals.participation >= t.participationMin!;
    return gate(
      'participation',
      evidence,
      passed,
      `${pct(totals.participation)} of the pilots' ${totals.participants} participants took part in their latest ` +
        `reported quarter (${totals.tookPart} answered the retrospective or checked in, counting per pilot the ` +
        `larger of the two), against at least ${pct(t.participationMin!)}.`,
      numbers,
      thresholds,
      perPilot,
    );
  })();

  const responseRate = (() => {
    const thresholds = { responseRateMin: t.responseRateMin! };
    const numbers = { invited: totals.invited, responded: totals.responded, responseRate: totals.responseRate };
    const perPilot = (p: PilotEvidence) => ({
      invited: p.practice.invited,
      responded: p.practice.responded,
      responseRate: p.practice.responseRate,
    });
    if (none || totals.responseRate === null)
      return gate(
        'response_rate',
        evidence,
        false,
        none ? NO_REPORTS : 'No data: nobody was invited to a retrospective in the reported quarters.',
        numbers,
        thresholds,
        perPilot,
      );
    return gate(
      'response_rate',
      evidence,
      totals.responseRate >= t.responseRateMin!,
      `${totals.responded} of ${totals.invited} invited answered the latest retrospectives ` +
        `(${pct(totals.responseRate)}), against at least ${pct(t.responseRateMin!)}.`,
      numbers,
      thresholds,
      perPilot,
    );
  })();

  const rhythm = (() => {
    const thresholds = { checkinRhythmMin: t.checkinRhythmMin! };
    const numbers = { due: totals.rhythmDue, done: totals.rhythmDone, rhythm: totals.rhythm };
    const perPilot = (p: PilotEvidence) => ({
      due: p.practice.rhythmDue,
      done: p.practice.rhythmDone,
      rhythm: p.practice.rhythm,
    });
    if (none || totals.rhythm === null)
      return gate(
        'checkin_rhythm',
        evidence,
        false,
        none ? NO_REPORTS : 'No data: no check-ins were due in the reported quarters.',
        numbers,
        thresholds,
        perPilot,
      );
    return gate(
      'checkin_rhythm',
      evidence,
      totals.rhythm >= t.checkinRhythmMin!,
      `${totals.rhythmDone} of ${totals.rhythmDue} due weekly check-ins were done (${pct(totals.rhythm)}), ` +
        `against at least ${pct(t.checkinRhythmMin!)}.`,
      numbers,
      thresholds,
      perPilot,
    );
  })();

  const outcome = (() => {
    const thresholds = {
      aspirationalMin: t.aspirationalMin!,
      aspirationalMax: t.aspirationalMax!,
      committedMetMin: t.committedMetMin!,
    };
    const numbers = {
      aspirationalScored: totals.aspirationalScored,
      aspirationalAverage: totals.aspirationalAverage,
      committedTotal: totals.committedTotal,
      committedMet: totals.committedMet,
      committedMetShare: totals.committedMetShare,
    };
    const perPilot = (p: PilotEvidence) => ({
      aspirationalScored: p.practice.aspirationalScored,
      aspirationalAverage: p.practice.aspirationalAverage,
      committedTotal: p.practice.committedTotal,
      committedMet: p.practice.committedMet,
      committedMetShare: p.practice.committedMetShare,
    });
    const average = totals.aspirationalAverage;
    const met = totals.committedMetShare;
    if (none || average === null || met === null) {
      const missing = [
        average === null ? 'no scored aspirational key results' : null,
        met === null ? 'no committed key results' : null,
      ].filter(Boolean);
      return gate(
        'outcome_health',
        evidence,
        false,
        none ? NO_REPORTS : `No data: the reported quarters have ${missing.join(' and ')}.`,
        numbers,
        thresholds,
        perPilot,
      );
    }
    const inBand = average >= t.aspirationalMin! && average < t.aspirationalMax!;
    const metOk = met >= t.committedMetMin!;
    const reading =
      average >= t.aspirationalMax! ? 'too safe' : average < t.aspirationalMin! ? 'below the healthy band' : 'healthy';
    return gate(
      'outcome_health',
      evidence,
      inBand && metOk,
      `Aspirational key results averaged ${average} over ${totals.aspirationalScored} scored (${reading}; healthy ` +
        `from ${t.aspirationalMin} to below ${t.aspirationalMax}), and ${totals.committedMet} of ` +
        `${totals.committedTotal} committed key results were met (${pct(met)}, against at least ` +
        `${pct(t.committedMetMin!)}).`,
      numbers,
      thresholds,
      perPilot,
    );
  })();

  const people = (() => {
    const thresholds = { adkarBarrier: t.adkarBarrier! };
    const mean = (element: string) => evidence.adkar.find((a) => a.element === element)?.mean ?? null;
    const unrated = ADKAR_ELEMENTS.filter((element) => mean(element) === null);
    const barriers = ADKAR_ELEMENTS.filter((element) => {
      const value = mean(element);
      return value !== null && value <= t.adkarBarrier!;
    });
    const numbers: Numbers = {
      ...Object.fromEntries(ADKAR_ELEMENTS.map((element) => [element, mean(element)])),
      responses: Math.max(0, ...evidence.adkar.map((a) => a.responses)),
      barriers: barriers.join(', '),
    };
    const perPilot = (p: PilotEvidence) =>
      Object.fromEntries(
        ADKAR_ELEMENTS.map((element) => [element, p.adkar.find((a) => a.element === element)?.mean ?? null]),
      );
    const means = ADKAR_ELEMENTS.map((element) => `${element} ${mean(element) ?? '–'}`).join(', ');
    // A pilot whose report publishes no rating of an element is left out of that element's mean: say so.
    const gaps = evidence.pilots
      .map((p) => ({
        name: p.report.pilotName,
        missing: ADKAR_ELEMENTS.filter((element) => (p.adkar.find((a) => a.element === element)?.mean ?? null) === null),
      }))
      .filter((p) => p.missing.length)
      .map((p) => `${p.name} (${p.missing.length === ADKAR_ELEMENTS.length ? 'every element' : p.missing.join(', ')})`);
    const leftOut = gaps.length
      ? ` Not counted, as their latest reports publish no rating (${WITHHELD}): ${gaps.join('; ')}.`
      : '';
    if (none || unrated.length)
      return gate(
        'people_readiness',
        evidence,
        false,
        none
          ? NO_REPORTS
          : `No data: no pilot's latest learning report publishes an ADKAR rating for ${unrated.join(', ')} ` +
              `(${WITHHELD}).`,
        numbers,
        thresholds,
        perPilot,
      );
    return gate(
      'people_readiness',
      evidence,
      barriers.length === 0,
      (barriers.length
        ? `ADKAR means ${means}: ${barriers.join(', ')} at or below ${t.adkarBarrier} ` +
          `${barriers.length === 1 ? 'is a barrier' : 'are barriers'} to widening.`
        : `ADKAR means ${means}: every element above ${t.adkarBarrier}, no barrier.`) + leftOut,
      numbers,
      thresholds,
      perPilot,
    );
  })();

  const trend = (() => {
    const thresholds = { trendTolerance: t.trendTolerance! };
    const compared = evidence.pilots.filter((p) => p.trend.change !== null);
    const falling = compared.filter((p) => p.trend.change! < -t.trendTolerance!);
    const question = evidence.pilots.find((p) => p.trend.question)?.trend.question ?? null;
    const numbers: Numbers = {
      question,
      pilotsCompared: compared.length,
      pilotsFalling: falling.length,
      largestFall: compared.length ? Math.min(0, ...compared.map((p) => p.trend.change!)) : null,
      fallingPilots: falling.map((p) => p.report.pilotName).join(', '),
    };
    const perPilot = (p: PilotEvidence) => ({ ...p.trend });
    if (none || !compared.length)
      return gate(
        'trend',
        evidence,
        false,
        none
          ? NO_REPORTS
          : `No data: no pilot has two quarters with a published mean of ` +
              `${question ?? 'a 0–10 headline question'} yet (${WITHHELD}).`,
        numbers,
        thresholds,
        perPilot,
      );
    const describe = (p: PilotEvidence) =>
      `${p.report.pilotName} ${p.trend.previous} (${p.trend.previousQuarter}) → ${p.trend.latest} (${p.trend.latestQuarter})`;
    const notCompared = evidence.pilots.filter((p) => p.trend.change === null).map((p) => p.report.pilotName);
    const leftOut = notCompared.length
      ? ` Not compared, without two quarters with a published mean (${WITHHELD}): ${notCompared.join(', ')}.`
      : '';
    return gate(
      'trend',
      evidence,
      falling.length === 0,
      (falling.length
        ? `The mean of ${question} fell over the last two quarters in ${falling.map(describe).join('; ')}` +
          (t.trendTolerance ? `, more than the tolerated ${t.trendTolerance}.` : '.')
        : `The mean of ${question} did not fall over the last two quarters in any of the ${compared.length} ` +
          `pilot(s) with two quarters: ${compared.map(describe).join('; ')}.`) + leftOut,
      numbers,
      thresholds,
      perPilot,
    );
  })();

  const capacity = (() => {
    const thresholds = { participantsPerCoachMax: t.participantsPerCoachMax! };
    const fromThreshold = t.coachesAvailable !== undefined;
    const coaches = fromThreshold ? t.coachesAvailable! : waveEvidence.pilotCoaches;
    const perCoach = coaches > 0 ? Math.round((wave.size / coaches) * 10_000) / 10_000 : null;
    const numbers: Numbers = {
      nextWaveSize: wave.size,
      coachesAvailable: coaches,
      coachesFrom: fromThreshold ? 'threshold' : 'pilots',
      participantsPerCoach: perCoach,
      coachesNeeded: wave.coachesNeeded,
    };
    if (wave.size === 0)
      return gate(
        'capacity',
        evidence,
        true,
        'The proposed next wave has nobody left to take in, so it needs no coach.',
        numbers,
        thresholds,
      );
    if (perCoach === null)
      return gate(
        'capacity',
        evidence,
        false,
        `No coach is available for the next wave of ${wave.size}: assign coaches to the pilots or set ` +
          `coachesAvailable; it needs ${wave.coachesNeeded}.`,
        numbers,
        thresholds,
      );
    return gate(
      'capacity',
      evidence,
      perCoach <= t.participantsPerCoachMax!,
      `The next wave of ${wave.size} with ${coaches} coach(es) available ` +
        `(${fromThreshold ? 'as set for the rollout' : "the pilots' coaches"}) is ${perCoach} participants per ` +
        `coach, against at most ${t.participantsPerCoachMax}; it needs ${wave.coachesNeeded}.`,
      numbers,
      thresholds,
    );
  })();

  // Capacity counts the pilots' people and coaches, not anything a learning report holds.
  return [participation, responseRate, rhythm, outcome, people, trend, { ...capacity, learningReports: [] }];
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
  thresholds: ReadinessThresholds;
  startQuarter: string;
}): NextWave {
  const { wave, thresholds } = input;
  const remaining = Math.max(0, input.targetHeadcount - wave.participantsInPilots);
  const bySteps = Math.floor(thresholds.waveSizeFactor! * wave.largestPilot);
  const size = Math.min(remaining, bySteps);
  const piloted = LEVELS.filter((level) => wave.pilotedLevels.includes(level));
  const newLevels = sectorLevels(input.sector).filter((level) => !piloted.includes(level));
  return {
    size,
    levels: [...piloted, ...newLevels],
    newLevels,
    coachesNeeded: Math.ceil(size / thresholds.participantsPerCoachMax!),
    startQuarter: input.startQuarter,
    basis: {
      targetHeadcount: input.targetHeadcount,
      participantsInPilots: wave.participantsInPilots,
      remainingHeadcount: remaining,
      largestPilot: wave.largestPilot,
      waveSizeFactor: thresholds.waveSizeFactor!,
      participantsPerCoachMax: thresholds.participantsPerCoachMax!,
    },
  };
}
