import type { ReadinessGate, ReadinessGateKey } from '../../report-content';
import type { PilotEvidence, PracticeSums, RolloutEvidence } from '../readiness-evidence';

/** The numbers a gate shows: what it measured, for all pilots together or for one. */
export type GateNumbers = ReadinessGate['numbers'];

export const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
export const NO_REPORTS = 'No data: no pilot of this rollout has a ready learning report.';
/** Why a learning report may publish no figure from answers (the publication policy). */
export const WITHHELD = 'fewer than k answers, a run not yet closed, or not asked';

/**
 * A gate that reads the pilots' learning reports: what it measured, against which thresholds, from
 * which reports, and (with `byPilot`) the same numbers for each pilot. Returns the judgement to make.
 */
export function judging(
  key: ReadinessGateKey,
  evidence: Pick<RolloutEvidence, 'pilots'>,
  numbers: GateNumbers,
  thresholds: Record<string, number>,
  byPilot?: (pilot: PilotEvidence) => GateNumbers,
): (passed: boolean, summary: string) => ReadinessGate {
  return (passed, summary) => ({
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
  });
}

/** A gate on one share of the pilots' practice (a rate of the learning reports) against a minimum. */
export interface PracticeShare {
  key: ReadinessGateKey;
  /** The sums the gate shows, in its names: for all pilots together and for each. */
  numbersOf: (sums: PracticeSums) => GateNumbers;
  share: (sums: PracticeSums) => number | null;
  /** The threshold's name and value: the least share that passes. */
  minimum: [name: string, value: number];
  /** Why the share is missing although learning reports are. */
  noData: string;
  summary: (totals: PracticeSums, share: number) => string;
}

/** Passes when the share summed over the pilots reaches the minimum; no reports or no share, no data. */
export function practiceShareGate(evidence: RolloutEvidence, spec: PracticeShare): ReadinessGate {
  const [name, minimum] = spec.minimum;
  const judge = judging(spec.key, evidence, spec.numbersOf(evidence.totals), { [name]: minimum }, (p) =>
    spec.numbersOf(p.practice),
  );
  const share = spec.share(evidence.totals);
  if (!evidence.pilots.length) return judge(false, NO_REPORTS);
  if (share === null) return judge(false, spec.noData);
  return judge(share >= minimum, spec.summary(evidence.totals, share));
}

/** A sentence naming the pilots a gate could not count, as their reports publish the figure withheld. */
export const leftOutNote = (why: string, pilots: string[], separator = ', '): string =>
  pilots.length ? ` ${why} (${WITHHELD}): ${pilots.join(separator)}.` : '';
