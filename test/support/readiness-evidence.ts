import type { AdkarMean, HeadlineTrend, PilotEvidence, PracticeSums, RolloutEvidence } from '@luotsi/domain';

/** Practice sums with nothing counted, overlaid with what a test sets. */
export const practiceSums = (sums: Partial<PracticeSums> = {}): PracticeSums => ({
  participants: null,
  tookPart: null,
  participation: null,
  invited: null,
  responded: null,
  responseRate: null,
  rhythmDue: null,
  rhythmDone: null,
  rhythm: null,
  committedTotal: null,
  committedMet: null,
  committedMetShare: null,
  aspirationalScored: null,
  aspirationalAverage: null,
  ...sums,
});

/** A headline trend of a pilot with fewer than two quarters with a mean: not compared. */
export const NO_TREND: HeadlineTrend = {
  question: null,
  previousQuarter: null,
  previous: null,
  latestQuarter: null,
  latest: null,
  change: null,
};

/** A pilot's latest ready learning report as the readiness gates read it. */
export const pilotEvidence = (
  pilotName: string,
  parts: Partial<Omit<PilotEvidence, 'report'>> = {},
): PilotEvidence => ({
  report: { id: `report-${pilotName}`, pilotId: `pilot-${pilotName}`, pilotName, quarterLabel: '2027-Q2' },
  practice: practiceSums(),
  adkar: [],
  trend: NO_TREND,
  ...parts,
});

/** A rollout's evidence: its pilots, their practice summed, and the ADKAR means over them. */
export const rolloutEvidence = (
  pilots: PilotEvidence[],
  totals: PracticeSums = practiceSums(),
  adkar: AdkarMean[] = [],
): RolloutEvidence => ({ pilots, totals, adkar });
