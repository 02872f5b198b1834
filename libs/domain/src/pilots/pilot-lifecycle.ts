import type { PilotState } from '@luotsi/database';

export const PILOT_ACTIONS = ['start', 'advance', 'review', 'graduate', 'extend', 'stop'] as const;
export type PilotAction = (typeof PILOT_ACTIONS)[number];

/**
 * The legal moves of a pilot. `advance` closes the active quarter and opens the next; after an
 * extension it opens the first added quarter and the pilot runs again.
 */
const TRANSITIONS: Record<PilotAction, { from: readonly PilotState[]; to: PilotState }> = {
  start: { from: ['planned'], to: 'running' },
  advance: { from: ['running', 'extended'], to: 'running' },
  review: { from: ['running'], to: 'in_review' },
  graduate: { from: ['in_review'], to: 'graduated' },
  extend: { from: ['in_review'], to: 'extended' },
  stop: { from: ['planned', 'running', 'in_review', 'extended'], to: 'stopped' },
};

export type Transition = { ok: true; to: PilotState } | { ok: false; reason: string };

export function transition(from: PilotState, action: PilotAction): Transition {
  const rule = TRANSITIONS[action];
  if (rule.from.includes(from)) return { ok: true, to: rule.to };
  const allowed = PILOT_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(from));
  return {
    ok: false,
    reason:
      `A ${from} pilot cannot ${action}` +
      (allowed.length ? `; it can ${allowed.join(', ')}.` : '; it has ended.'),
  };
}

export function allowedActions(from: PilotState): PilotAction[] {
  return PILOT_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(from));
}
