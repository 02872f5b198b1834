import type { PilotEvidence } from '../readiness-evidence';
import { NO_TREND, pilotEvidence, rolloutEvidence } from '../../../../../../test/support/readiness-evidence';
import { trendGate } from './trend-gate';

// docs/reports.md: passes when no pilot's headline mean (confidence_next_quarter) fell by more than
// trendTolerance (0) from its previous quarter to its latest. A pilot with one quarter is not compared; if no
// pilot has two, the gate fails for want of data.
const moved = (pilotName: string, previous: number, latest: number): PilotEvidence =>
  pilotEvidence(pilotName, {
    trend: {
      question: 'confidence_next_quarter',
      previousQuarter: '2027-Q1',
      previous,
      latestQuarter: '2027-Q2',
      latest,
      change: Math.round((latest - previous) * 10) / 10,
    },
  });
const judge = (pilots: PilotEvidence[], trendTolerance = 0) =>
  trendGate(rolloutEvidence(pilots), { trendTolerance });

describe('trend gate', () => {
  it('passes when no headline mean fell, a steady one included', () => {
    const gate = judge([moved('North', 6.5, 7), moved('South', 7, 7)]);
    expect(gate).toMatchObject({
      key: 'trend',
      passed: true,
      numbers: { question: 'confidence_next_quarter', pilotsCompared: 2, pilotsFalling: 0 },
      thresholds: { trendTolerance: 0 },
    });
    expect(gate.byPilot?.map((p) => p.numbers.latest)).toEqual([7, 7]);
  });

  it('fails when one pilot fell, and names it', () => {
    const gate = judge([moved('North', 6.5, 7), moved('South', 7, 6.9)]);
    expect(gate.passed).toBe(false);
    expect(gate.numbers).toMatchObject({ pilotsFalling: 1, fallingPilots: 'South' });
  });

  it('passes a fall within the tolerance of the rollout, and fails one beyond it', () => {
    expect(judge([moved('South', 7, 6.6)], 0.5).passed).toBe(true);
    expect(judge([moved('South', 7, 6.4)], 0.5).passed).toBe(false);
  });

  it('leaves a pilot with one quarter out of the comparison', () => {
    const gate = judge([moved('North', 6.5, 7), pilotEvidence('New', { trend: NO_TREND })]);
    expect(gate).toMatchObject({ passed: true, numbers: { pilotsCompared: 1 } });
  });

  it('fails for want of data when no pilot has two quarters, or without reports', () => {
    for (const gate of [judge([pilotEvidence('New')]), judge([])]) {
      expect(gate.passed).toBe(false);
      expect(gate.summary).toMatch(/^No data/);
    }
  });
});
