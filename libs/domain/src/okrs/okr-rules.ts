import {
  KEY_RESULT_KINDS,
  KEY_RESULT_MEASURES,
  type KeyResultKind,
  type KeyResultMeasure,
} from '@luotsi/database';
import { InputIssue } from '../common/errors';

/** The colour of a score or of progress: 0.7–1.0 green, 0.4–0.69 yellow, below 0.4 red. */
export const BANDS = ['green', 'yellow', 'red'] as const;
export type Band = (typeof BANDS)[number];

export const MAX_TITLE = 300;
export const MAX_DESCRIPTION = 4000;
export const MAX_UNIT = 40;
/** Values beyond this are typos, not key results. */
const MAX_MAGNITUDE = 1e12;

/** Four decimals: enough for a score, and free of floating-point noise such as 0.7000000000000001. */
export const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const round = round4;

export interface ProgressInput {
  measure: KeyResultMeasure;
  startValue: number | null;
  targetValue: number | null;
  currentValue: number | null;
  done: boolean;
}

/**
 * How far a key result has come, 0..1. A metric moves from its start towards its target; a target below
 * the start means lower is better, and the same formula covers both directions. Nothing recorded yet
 * counts as the start. Overshooting caps at 1, going backwards at 0. A milestone or binary result is 0 or 1.
 */
export function progress(kr: ProgressInput): number {
  if (kr.measure !== 'metric') return kr.done ? 1 : 0;
  const { startValue: start, targetValue: target } = kr;
  if (start === null || target === null || start === target) return kr.done ? 1 : 0;
  const current = kr.currentValue ?? start;
  const share = (current - start) / (target - start);
  return round(Math.min(1, Math.max(0, share)));
}

/** 0.7–1.0 green, 0.4–0.69 yellow, below 0.4 red; null for no score. */
export function colourBand(score: number | null | undefined): Band | null {
  if (score === null || score === undefined || Number.isNaN(score)) return null;
  if (score >= 0.7) return 'green';
  if (score >= 0.4) return 'yellow';
  return 'red';
}

/** The mean of the key results' final scores; key results not yet scored are left out; null if none is. */
export function objectiveScore(keyResults: readonly { finalScore: number | null }[]): number | null {
  const scores = keyResults.map((kr) => kr.finalScore).filter((s): s is number => s !== null);
  if (!scores.length) return null;
  return round(scores.reduce((sum, s) => sum + s, 0) / scores.length);
}

/** The mean progress of the key results; null for an objective without any. */
export function objectiveProgress(keyResults: readonly ProgressInput[]): number | null {
  if (!keyResults.length) return null;
  return round(keyResults.reduce((sum, kr) => sum + progress(kr), 0) / keyResults.length);
}

export const HINT_CODES = [
  'too_few_key_results',
  'too_many_key_results',
  'no_measurable_key_result',
  'binary_could_be_metric',
  'aspirational_too_safe',
] as const;
export type HintCode = (typeof HINT_CODES)[number];

/** A warning about an objective's shape: it never blocks a save. */
export interface QualityHint {
  code: HintCode;
  message: string;
  /** The key result the hint is about, when it is about one. */
  keyResultId?: string;
}

export interface HintInput {
  keyResults: readonly {
    id?: string;
    title: string;
    kind: KeyResultKind;
    measure: KeyResultMeasure;
    finalScore: number | null;
  }[];
}

/** Aspirational results averaging this or more were set too safely. */
export const TOO_SAFE = 0.85;

/** Warnings that follow common OKR practice; stable codes, English messages. */
export function qualityHints(objective: HintInput): QualityHint[] {
  const hints: QualityHint[] = [];
  const krs = objective.keyResults;
  if (krs.length < 2) {
    hints.push({
      code: 'too_few_key_results',
      message: `The objective has ${krs.length} key result${krs.length === 1 ? '' : 's'}; 2 to 5 describe an outcome well.`,
    });
  }
  if (krs.length > 5) {
    hints.push({
      code: 'too_many_key_results',
      message: `The objective has ${krs.length} key results; more than 5 dilutes focus. Keep the ones that matter most.`,
    });
  }
  if (krs.length && !krs.some((kr) => kr.measure === 'metric')) {
    hints.push({
      code: 'no_measurable_key_result',
      message:
        'No key result is measured by a number; add a metric so progress shows before the quarter ends.',
    });
  }
  for (const kr of krs) {
    if (kr.measure === 'binary' && /\d/.test(kr.title)) {
      hints.push({
        code: 'binary_could_be_metric',
        message: `"${kr.title}" names a number but is done-or-not; as a metric it would show progress on the way.`,
        ...(kr.id ? { keyResultId: kr.id } : {}),
      });
    }
  }
  const aspirational = objectiveScore(krs.filter((kr) => kr.kind === 'aspirational'));
  if (aspirational !== null && aspirational >= TOO_SAFE) {
    hints.push({
      code: 'aspirational_too_safe',
      message: `The aspirational key results average ${aspirational.toFixed(2)}; around 0.6–0.7 is healthy, so these goals were probably too safe.`,
    });
  }
  return hints;
}

/** A key result as the API names its fields: the full state after a create or a patch. */
export interface KeyResultDraft {
  title?: string | null;
  kind?: KeyResultKind | null;
  measure?: KeyResultMeasure | null;
  start?: number | null;
  target?: number | null;
  unit?: string | null;
  current?: number | null;
  done?: boolean | null;
  confidence?: number | null;
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_MAGNITUDE;

/** Title rules shared by objectives and key results. */
export function validateTitle(title: unknown, field = 'title'): InputIssue[] {
  if (typeof title !== 'string' || !title.trim()) return [{ field, reason: 'required' }];
  if (title.trim().length > MAX_TITLE) return [{ field, reason: `at most ${MAX_TITLE} characters` }];
  return [];
}

export function validateConfidence(confidence: unknown, field = 'confidence'): InputIssue[] {
  if (confidence === null || confidence === undefined) return [];
  if (!(Number.isInteger(confidence) && (confidence as number) >= 0 && (confidence as number) <= 10))
    return [{ field, reason: 'must be a whole number from 0 to 10' }];
  return [];
}

export function validateScore(score: unknown, field = 'score'): InputIssue[] {
  if (!(typeof score === 'number' && Number.isFinite(score) && score >= 0 && score <= 1))
    return [{ field, reason: 'must be a number from 0.0 to 1.0' }];
  return [];
}

/** Every rule a key result's state must meet; `prefix` places the fields, e.g. `keyResults[1].`. */
export function validateKeyResult(draft: KeyResultDraft, prefix = ''): InputIssue[] {
  const issues: InputIssue[] = [];
  const at = (field: string, reason: string) => issues.push({ field: `${prefix}${field}`, reason });
  issues.push(...validateTitle(draft.title, `${prefix}title`));
  if (!KEY_RESULT_KINDS.includes(draft.kind as KeyResultKind))
    at('kind', `must be one of ${KEY_RESULT_KINDS.join(', ')}`);
  if (!KEY_RESULT_MEASURES.includes(draft.measure as KeyResultMeasure)) {
    at('measure', `must be one of ${KEY_RESULT_MEASURES.join(', ')}`);
  } else if (draft.measure === 'metric') {
    const startOk = isNumber(draft.start);
    const targetOk = isNumber(draft.target);
    if (!startOk) at('start', 'a metric needs a start value (a number)');
    if (!targetOk) at('target', 'a metric needs a target value (a number)');
    if (startOk && targetOk && draft.start === draft.target) at('target', 'must differ from start');
    if (draft.current !== null && draft.current !== undefined && !isNumber(draft.current))
      at('current', 'must be a number');
    if (draft.done === true) at('done', 'a metric is done when its current value reaches the target');
  } else {
    const what = `a ${draft.measure} is done or not done`;
    if (draft.start !== null && draft.start !== undefined) at('start', `must be empty: ${what}`);
    if (draft.target !== null && draft.target !== undefined) at('target', `must be empty: ${what}`);
    if (draft.current !== null && draft.current !== undefined)
      at('current', `must be empty: ${what}; record done instead`);
  }
  if (draft.unit !== null && draft.unit !== undefined) {
    if (typeof draft.unit !== 'string') at('unit', 'must be text');
    else if (draft.unit.length > MAX_UNIT) at('unit', `at most ${MAX_UNIT} characters`);
    else if (draft.unit.trim() && draft.measure !== 'metric') at('unit', 'only a metric has a unit');
  }
  issues.push(...validateConfidence(draft.confidence, `${prefix}confidence`));
  return issues;
}
