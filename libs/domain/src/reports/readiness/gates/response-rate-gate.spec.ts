import { pilotEvidence, practiceSums, rolloutEvidence } from '../../../../../../test/support/readiness-evidence';
import { responseRateGate } from './response-rate-gate';

// docs/reports.md: passes when respondents / invited of the latest retrospectives >= responseRateMin
// (default 0.5), the learning reports' own counts summed over pilots; no data fails and says so.
const answered = (invited: number, responded: number) =>
  practiceSums({ invited, responded, responseRate: responded / invited });
const pilots = [
  pilotEvidence('North', { practice: answered(8, 6) }),
  pilotEvidence('South', { practice: answered(12, 4) }),
];
const defaults = { responseRateMin: 0.5 };

describe('response rate gate', () => {
  it('passes at the minimum rate, with the counts summed and per pilot', () => {
    const gate = responseRateGate(rolloutEvidence(pilots, answered(20, 10)), defaults);
    expect(gate).toMatchObject({
      key: 'response_rate',
      passed: true,
      numbers: { invited: 20, responded: 10, responseRate: 0.5 },
      thresholds: { responseRateMin: 0.5 },
    });
    expect(gate.byPilot?.map((p) => p.numbers.responseRate)).toEqual([0.75, 4 / 12]);
  });

  it('fails below the minimum, or below a higher minimum of the rollout', () => {
    expect(responseRateGate(rolloutEvidence(pilots, answered(20, 9)), defaults).passed).toBe(false);
    expect(responseRateGate(rolloutEvidence(pilots, answered(20, 14)), { responseRateMin: 0.8 }).passed).toBe(false);
  });

  it('fails for want of data without a ready learning report, or with nobody invited', () => {
    for (const evidence of [rolloutEvidence([]), rolloutEvidence([pilotEvidence('North')])]) {
      const gate = responseRateGate(evidence, defaults);
      expect(gate.passed).toBe(false);
      expect(gate.summary).toMatch(/^No data/);
    }
  });
});
