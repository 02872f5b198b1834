import { PILOT_STATES } from '@luotsi/database';
import { allowedActions, PILOT_ACTIONS, transition } from './pilot-lifecycle';

describe('pilot lifecycle', () => {
  it('walks the happy path', () => {
    expect(transition('planned', 'start')).toEqual({ ok: true, to: 'running' });
    expect(transition('running', 'advance')).toEqual({ ok: true, to: 'running' });
    expect(transition('running', 'review')).toEqual({ ok: true, to: 'in_review' });
    expect(transition('in_review', 'graduate')).toEqual({ ok: true, to: 'graduated' });
    expect(transition('in_review', 'extend')).toEqual({ ok: true, to: 'extended' });
    expect(transition('extended', 'advance')).toEqual({ ok: true, to: 'running' });
  });

  it('refuses everything from the end states, with a reason', () => {
    for (const end of ['graduated', 'stopped'] as const) {
      for (const action of PILOT_ACTIONS) {
        const result = transition(end, action);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toContain('has ended');
      }
    }
  });

  it('has exactly this table of legal moves', () => {
    const table = Object.fromEntries(PILOT_STATES.map((s) => [s, allowedActions(s)]));
    expect(table).toEqual({
      planned: ['start', 'stop'],
      running: ['advance', 'review', 'stop'],
      in_review: ['graduate', 'extend', 'stop'],
      graduated: [],
      extended: ['advance', 'stop'],
      stopped: [],
    });
  });
});
