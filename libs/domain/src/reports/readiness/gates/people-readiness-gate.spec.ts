import { pilotEvidence, rolloutEvidence } from '../../../../../../test/support/readiness-evidence';
import { peopleReadinessGate } from './people-readiness-gate';

// docs/reports.md and DESIGN.md: an ADKAR-style 1–5 rating per element (awareness, desire, knowledge,
// ability, reinforcement); the gate passes when every element's mean > adkarBarrier (3), and an element at or
// below it is named a barrier. An element without a rating has no data: the gate fails and says so.
const ELEMENTS = ['awareness', 'desire', 'knowledge', 'ability', 'reinforcement'] as const;
const rated = (means: Partial<Record<(typeof ELEMENTS)[number], number>>) =>
  Object.entries(means).map(([element, mean]) => ({
    element: element as (typeof ELEMENTS)[number],
    responses: 12,
    mean,
  }));
const all = (mean: number) => Object.fromEntries(ELEMENTS.map((e) => [e, mean]));
const judge = (means: Partial<Record<(typeof ELEMENTS)[number], number>>, adkarBarrier = 3) =>
  peopleReadinessGate(
    rolloutEvidence([pilotEvidence('North', { adkar: rated(means) })], undefined, rated(means)),
    { adkarBarrier },
  );

describe('people readiness gate', () => {
  it('passes with every element above the barrier, showing each mean', () => {
    const gate = judge(all(3.1));
    expect(gate).toMatchObject({ key: 'people_readiness', passed: true, numbers: all(3.1) });
    expect(gate.thresholds).toEqual({ adkarBarrier: 3 });
    expect(gate.byPilot?.[0].numbers).toEqual(all(3.1));
  });

  it('fails with an element at the barrier, and names it', () => {
    const gate = judge({ ...all(4), ability: 3 });
    expect(gate.passed).toBe(false);
    expect(gate.numbers.barriers).toBe('ability');
    expect(gate.summary).toContain('ability');
  });

  it("judges against the rollout's own barrier", () => {
    expect(judge(all(3.5), 4)).toMatchObject({ passed: false, thresholds: { adkarBarrier: 4 } });
  });

  it('fails for want of data with an element unrated, or without reports', () => {
    const { reinforcement: _left, ...four } = all(4);
    for (const gate of [judge(four), peopleReadinessGate(rolloutEvidence([]), { adkarBarrier: 3 })]) {
      expect(gate.passed).toBe(false);
      expect(gate.summary).toMatch(/^No data/);
    }
    expect(judge(four).summary).toContain('reinforcement');
  });
});
