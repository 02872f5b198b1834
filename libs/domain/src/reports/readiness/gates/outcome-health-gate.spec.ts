import { pilotEvidence, practiceSums, rolloutEvidence } from '../../../../../../test/support/readiness-evidence';
import { outcomeHealthGate } from './outcome-health-gate';

// docs/reports.md and DESIGN.md's grading convention: passes when aspirationalMin (0.6) <= the aspirational
// average < aspirationalMax (0.85), and the committed met share >= committedMetMin (0.8); 0.85 or more is
// too safe. Both need data; no data fails and says so.
const outcomes = (average: number | null, met: number | null) =>
  practiceSums({
    aspirationalScored: average === null ? 0 : 4,
    aspirationalAverage: average,
    committedTotal: met === null ? 0 : 10,
    committedMet: met === null ? 0 : met * 10,
    committedMetShare: met,
  });
const defaults = { aspirationalMin: 0.6, aspirationalMax: 0.85, committedMetMin: 0.8 };
const judge = (average: number | null, met: number | null, t = defaults) =>
  outcomeHealthGate(rolloutEvidence([pilotEvidence('North', { practice: outcomes(average, met) })], outcomes(average, met)), t);

describe('outcome health gate', () => {
  it('passes in the healthy band with enough committed key results met, with the numbers it used', () => {
    expect(judge(0.7, 0.9)).toMatchObject({
      key: 'outcome_health',
      passed: true,
      numbers: { aspirationalScored: 4, aspirationalAverage: 0.7, committedTotal: 10, committedMet: 9, committedMetShare: 0.9 },
      thresholds: defaults,
    });
    expect(judge(0.7, 0.9).byPilot?.[0].numbers).toMatchObject({ aspirationalAverage: 0.7, committedMetShare: 0.9 });
  });

  it('takes the lower edge of the band and of committed met as healthy', () => {
    expect(judge(0.6, 0.8).passed).toBe(true);
  });

  it('fails below the band', () => {
    expect(judge(0.59, 1).passed).toBe(false);
  });

  it('fails at or above the upper edge: the goals were too safe', () => {
    const gate = judge(0.85, 1);
    expect(gate.passed).toBe(false);
    expect(gate.summary).toContain('too safe');
  });

  it('fails with too few committed key results met, also against a stricter rollout', () => {
    expect(judge(0.7, 0.7).passed).toBe(false);
    expect(judge(0.7, 0.9, { ...defaults, committedMetMin: 0.95 }).passed).toBe(false);
  });

  it('fails for want of data without scored aspirational or without committed key results, or reports', () => {
    for (const gate of [judge(null, 0.9), judge(0.7, null), outcomeHealthGate(rolloutEvidence([]), defaults)]) {
      expect(gate.passed).toBe(false);
      expect(gate.summary).toMatch(/^No data/);
    }
  });
});
