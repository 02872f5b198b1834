import { pilotEvidence, practiceSums, rolloutEvidence } from '../../../../../../test/support/readiness-evidence';
import { participationGate } from './participation-gate';

// docs/reports.md: passes when took part / participants >= participationMin (default 0.6); the numbers per
// pilot are shown beside the sums; a gate with no data fails and says so.
const tookPart = (participants: number, took: number) =>
  practiceSums({ participants, tookPart: took, participation: took / participants });
const pilots = [
  pilotEvidence('North', { practice: tookPart(5, 4) }),
  pilotEvidence('South', { practice: tookPart(5, 2) }),
];
const defaults = { participationMin: 0.6 };

describe('participation gate', () => {
  it('passes when the share who took part reaches the minimum, with the numbers it used', () => {
    const gate = participationGate(rolloutEvidence(pilots, tookPart(10, 6)), defaults);
    expect(gate).toMatchObject({
      key: 'participation',
      passed: true,
      numbers: { participants: 10, tookPart: 6, participation: 0.6 },
      thresholds: { participationMin: 0.6 },
    });
    expect(gate.learningReports.map((r) => r.pilotName)).toEqual(['North', 'South']);
    expect(gate.byPilot?.map((p) => [p.pilotName, p.numbers])).toEqual([
      ['North', { participants: 5, tookPart: 4, participation: 0.8 }],
      ['South', { participants: 5, tookPart: 2, participation: 0.4 }],
    ]);
  });

  it('fails below the minimum', () => {
    expect(participationGate(rolloutEvidence(pilots, tookPart(10, 5)), defaults).passed).toBe(false);
  });

  it("judges against the rollout's own minimum", () => {
    const gate = participationGate(rolloutEvidence(pilots, tookPart(10, 8)), { participationMin: 0.9 });
    expect(gate).toMatchObject({ passed: false, thresholds: { participationMin: 0.9 } });
  });

  it('fails for want of data without a ready learning report, or with no participants counted', () => {
    for (const evidence of [rolloutEvidence([]), rolloutEvidence([pilotEvidence('North')])]) {
      const gate = participationGate(evidence, defaults);
      expect(gate.passed).toBe(false);
      expect(gate.summary).toMatch(/^No data/);
    }
  });
});
