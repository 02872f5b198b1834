import {
  LEVELS,
  type KeyResult,
  type KeyResultKind,
  type KeyResultMeasure,
  type Level,
} from '@luotsi/database';
import { InputIssue, InvalidInputError } from '../common/errors';
import { KeyResultDraft, MAX_DESCRIPTION, validateTitle } from './okr-rules';
import { keyResultState } from './okr-views';

export interface KeyResultInput {
  title: string;
  kind?: KeyResultKind;
  measure: KeyResultMeasure;
  start?: number | null;
  target?: number | null;
  unit?: string | null;
  ownerId?: string | null;
  current?: number | null;
  done?: boolean | null;
  confidence?: number | null;
}

export type KeyResultPatch = Partial<KeyResultInput> & { position?: number };

export interface ObjectiveInput {
  title: string;
  description?: string | null;
  ownerId?: string | null;
  level?: Level | null;
  keyResults?: KeyResultInput[];
}

export type ObjectivePatch = Partial<Omit<ObjectiveInput, 'keyResults'>> & { position?: number };

/** The fields whose change records the key result's state (and stamps `recordedAt`). */
export const RECORDED = ['current', 'done', 'confidence'] as const;

export const draftOf = (input: KeyResultInput): KeyResultDraft => ({
  ...input,
  kind: input.kind ?? 'committed',
});

/** The fields a patch sets (a DTO instance carries the others as undefined). */
export const given = (patch: object): string[] =>
  Object.entries(patch)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);

/** The columns of a key result's state from a validated draft: trimmed, with blanks as their defaults. */
export function stateColumns(draft: KeyResultDraft) {
  return {
    title: (draft.title ?? '').trim(),
    kind: draft.kind ?? 'committed',
    // Validated: a known measure.
    measure: draft.measure as KeyResultMeasure,
    startValue: draft.start ?? null,
    targetValue: draft.target ?? null,
    unit: draft.unit?.trim() ?? '',
    currentValue: draft.current ?? null,
    done: draft.done ?? false,
    confidence: draft.confidence ?? null,
  };
}

/** A new key result's columns from the API's input; `now` stamps a recorded state. */
export function newKeyResult(
  objective: { id: string; quarterId: string; pilotId: string; organizationId: string },
  input: KeyResultInput,
  now: Date,
): Omit<Partial<KeyResult>, 'id'> {
  const recorded = RECORDED.some((field) => input[field] !== undefined && input[field] !== null);
  return {
    objectiveId: objective.id,
    quarterId: objective.quarterId,
    pilotId: objective.pilotId,
    organizationId: objective.organizationId,
    ...stateColumns(draftOf(input)),
    ownerId: input.ownerId ?? null,
    recordedAt: recorded ? now : null,
    finalScore: null,
    scoredAt: null,
  };
}

/**
 * The key result's state after a patch, in the API's names. Values that no longer fit a changed measure
 * (a metric's numbers on a milestone, a done flag on a metric) are dropped unless the patch sends them,
 * in which case validation names them.
 */
export function mergeDraft(kr: KeyResult, patch: KeyResultPatch): KeyResultDraft {
  const draft: KeyResultDraft = keyResultState(kr);
  for (const key of Object.keys(draft) as (keyof KeyResultDraft)[]) {
    if (patch[key] !== undefined) (draft as Record<string, unknown>)[key] = patch[key];
  }
  if (draft.measure !== 'metric') {
    for (const key of ['start', 'target', 'current'] as const)
      if (patch[key] === undefined) draft[key] = null;
    if (patch.unit === undefined) draft.unit = '';
  } else if (patch.done === undefined) {
    draft.done = false;
  }
  return draft;
}

export function validateObjectiveFields(input: ObjectivePatch, partial = false): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!partial || input.title !== undefined) issues.push(...validateTitle(input.title));
  if (input.description && input.description.length > MAX_DESCRIPTION)
    issues.push({ field: 'description', reason: `at most ${MAX_DESCRIPTION} characters` });
  if (input.position !== undefined && !(Number.isInteger(input.position) && input.position >= 0))
    issues.push({ field: 'position', reason: 'must be a whole number from 0' });
  return issues;
}

export function duplicateTitles(titles: string[]): InputIssue[] {
  const seen = new Map<string, number>();
  return titles.flatMap((title, i) => {
    const key = typeof title === 'string' ? title.trim() : '';
    if (!key) return [];
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return [];
    }
    return [{ field: `keyResults[${i}].title`, reason: `the same title as keyResults[${first}]` }];
  });
}

/** A level must be one of the vocabulary's and one of the pilot's. */
export function levelIssues(pilotLevels: readonly Level[], level: Level | null | undefined): InputIssue[] {
  if (level === null || level === undefined) return [];
  if (!LEVELS.includes(level)) return [{ field: 'level', reason: `must be one of ${LEVELS.join(', ')}` }];
  if (!pilotLevels.includes(level))
    return [
      { field: 'level', reason: `"${level}" is not a level of this pilot (${pilotLevels.join(', ')})` },
    ];
  return [];
}

/** Refuses the change with every issue at once. */
export function refuseIssues(issues: InputIssue[], message: string): void {
  if (issues.length) throw new InvalidInputError(message, issues);
}
