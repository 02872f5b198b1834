import { InputIssue, InvalidInputError } from '../../common/errors';

export interface ThresholdSpec {
  /** Absent for a threshold that only applies when the coach sets it. */
  default?: number;
  min: number;
  max: number;
  integer?: boolean;
  description: string;
}

/**
 * The readiness gates' thresholds: what a coach may change per rollout, within these ranges. A rollout
 * stores only its overrides (`rollout.readiness_thresholds`); every other key takes its default.
 */
export const READINESS_THRESHOLDS = {
  participationMin: {
    default: 0.6,
    min: 0,
    max: 1,
    description: 'participation: least share of participants who took part',
  },
  responseRateMin: {
    default: 0.5,
    min: 0,
    max: 1,
    description: 'response_rate: least retrospective response rate',
  },
  checkinRhythmMin: {
    default: 0.75,
    min: 0,
    max: 1,
    description: 'checkin_rhythm: least share of due check-ins done',
  },
  aspirationalMin: {
    default: 0.6,
    min: 0,
    max: 1,
    description: 'outcome_health: lowest healthy aspirational average (inclusive)',
  },
  aspirationalMax: {
    default: 0.85,
    min: 0,
    max: 1,
    description: 'outcome_health: aspirational average from which goals were too safe (exclusive)',
  },
  committedMetMin: {
    default: 0.8,
    min: 0,
    max: 1,
    description: 'outcome_health: least share of committed key results met',
  },
  adkarBarrier: {
    default: 3,
    min: 1,
    max: 5,
    description: 'people_readiness: an ADKAR element whose mean is at or below this is a barrier',
  },
  trendTolerance: {
    default: 0,
    min: 0,
    max: 10,
    description: 'trend: how far the headline mean (0–10) may fall from one quarter to the next',
  },
  participantsPerCoachMax: {
    default: 150,
    min: 1,
    max: 10_000,
    integer: true,
    description: 'capacity: most participants one coach takes in the next wave',
  },
  waveSizeFactor: {
    default: 3,
    min: 1,
    max: 100,
    description: 'next wave: at most this many times the largest pilot so far',
  },
  coachesAvailable: {
    min: 1,
    max: 10_000,
    integer: true,
    description: "capacity: coaches for the next wave; unset, the distinct coaches of the rollout's pilots",
  },
} as const satisfies Record<string, ThresholdSpec>;

export type ReadinessThresholdKey = keyof typeof READINESS_THRESHOLDS;
export type ReadinessThresholds = Partial<Record<ReadinessThresholdKey, number>>;
/** The thresholds that have a default, and so always a value once the defaults are applied. */
type DefaultedKey = {
  [K in ReadinessThresholdKey]: (typeof READINESS_THRESHOLDS)[K] extends { default: number } ? K : never;
}[ReadinessThresholdKey];
/** The thresholds a report is judged by: every default filled in; the others only where set. */
export type EffectiveThresholds = Record<DefaultedKey, number> &
  Partial<Record<Exclude<ReadinessThresholdKey, DefaultedKey>, number>>;

const KEYS = Object.keys(READINESS_THRESHOLDS) as ReadinessThresholdKey[];
const spec = (key: ReadinessThresholdKey): ThresholdSpec => READINESS_THRESHOLDS[key];

/** The defaults overlaid with a rollout's overrides; unknown keys stored earlier are ignored. */
export function effectiveThresholds(overrides: Record<string, unknown> = {}): EffectiveThresholds {
  const effective: ReadinessThresholds = {};
  for (const key of KEYS) {
    const value = overrides[key];
    if (typeof value === 'number') effective[key] = value;
    else if (spec(key).default !== undefined) effective[key] = spec(key).default;
  }
  // Every key with a default was given a value above.
  return effective as EffectiveThresholds;
}

/**
 * Checks a coach's overrides: known keys only, finite numbers in range, integers where counted, and a
 * healthy aspirational band that is not empty. Every problem is reported at once, by field.
 */
export function validateThresholds(input: unknown): ReadinessThresholds {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidInputError('The thresholds must be an object; nothing was changed.', [
      { field: '(body)', reason: 'must be an object of threshold names and numbers' },
    ]);
  }
  const issues: InputIssue[] = [];
  const overrides: ReadinessThresholds = {};
  for (const [field, value] of Object.entries(input)) {
    if (!(KEYS as string[]).includes(field)) {
      issues.push({ field, reason: `is not a readiness threshold; known: ${KEYS.join(', ')}` });
      continue;
    }
    const key = field as ReadinessThresholdKey;
    const { min, max, integer } = spec(key);
    if (typeof value !== 'number' || !Number.isFinite(value)) issues.push({ field, reason: 'must be a number' });
    else if (integer && !Number.isInteger(value)) issues.push({ field, reason: 'must be a whole number' });
    else if (value < min || value > max) issues.push({ field, reason: `must be between ${min} and ${max}` });
    else overrides[key] = value;
  }
  const band = effectiveThresholds(overrides);
  if (!issues.length && band.aspirationalMin >= band.aspirationalMax) {
    const field = 'aspirationalMin' in overrides ? 'aspirationalMin' : 'aspirationalMax';
    issues.push({
      field,
      reason: `aspirationalMin (${band.aspirationalMin}) must be below aspirationalMax (${band.aspirationalMax})`,
    });
  }
  if (issues.length) throw new InvalidInputError('The thresholds are invalid; nothing was changed.', issues);
  return overrides;
}
