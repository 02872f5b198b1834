import type { LearningFlag, Rate } from '../report-content';
import type { ObjectiveRefresh, QuarterConfidence } from './learning-report.sections';

/** Below this share of the invited answering, the retrospective says little. */
export const LOW_RESPONSE_RATE = 0.5;
/** A pilot is expected to move its key results within this many quarters… */
export const MOVEMENT_BY_QUARTER = 2;
/** …and to be setting new or refreshed objectives by this one. */
export const REFRESH_BY_QUARTER = 4;

export interface FlagInput {
  quarterNumber: number;
  /** Every key result of the quarter, and those no check-in moved from its start. */
  keyResults: number;
  withoutMovement: number;
  objectives: ObjectiveRefresh;
  /** The retrospective's response; null without a retrospective. */
  response: Rate | null;
  /** This quarter and the ones before it, oldest first. */
  confidence: QuarterConfidence[];
}

/** Where the pilot leaves the expected curve: results within two quarters, refreshed goals by the fourth. */
export function learningFlags(input: FlagInput): LearningFlag[] {
  const flags: LearningFlag[] = [];
  const n = input.quarterNumber;
  if (n >= MOVEMENT_BY_QUARTER && input.withoutMovement === input.keyResults) {
    flags.push({
      code: 'no_key_result_movement',
      message: input.keyResults
        ? `In quarter ${n}, no key result moved from its start (${input.keyResults} key results).`
        : `Quarter ${n} has no key results to move.`,
      numbers: { quarterNumber: n, keyResults: input.keyResults, withoutMovement: input.withoutMovement },
    });
  }
  if (n >= REFRESH_BY_QUARTER && input.objectives.newOrRefreshed === 0) {
    flags.push({
      code: 'no_new_objectives',
      message: `In quarter ${n}, no objective is new or refreshed; all ${input.objectives.objectives} were carried over unchanged.`,
      numbers: {
        quarterNumber: n,
        objectives: input.objectives.objectives,
        newOrRefreshed: input.objectives.newOrRefreshed,
      },
    });
  }
  const response = input.response;
  if (response && response.rate !== null && response.rate < LOW_RESPONSE_RATE) {
    flags.push({
      code: 'low_response_rate',
      message: `${response.count} of ${response.of} invited answered the retrospective, below ${LOW_RESPONSE_RATE * 100}%.`,
      numbers: { invited: response.of, responded: response.count, rate: response.rate, threshold: LOW_RESPONSE_RATE },
    });
  }
  const last = input.confidence.slice(-3);
  const values = last.map((q) => q.confidence);
  if (
    last.length === 3 &&
    last[2].number === n &&
    last[0].number === n - 2 &&
    values.every((v): v is number => v !== null) &&
    values[0] > values[1] &&
    values[1] > values[2]
  ) {
    flags.push({
      code: 'confidence_falling',
      message: `Confidence fell two quarters in a row: ${last.map((q) => `${q.label} ${q.confidence}`).join(', ')}.`,
      numbers: Object.fromEntries(last.map((q) => [q.label, q.confidence])),
    });
  }
  return flags;
}
