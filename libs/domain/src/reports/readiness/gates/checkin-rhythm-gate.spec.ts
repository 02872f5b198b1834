import { pilotEvidence, practiceSums, rolloutEvidence } from '../../../../../../test/support/readiness-evidence';
import { checkinRhythmGate } from './checkin-rhythm-gate';

// docs/reports.md: passes when done / due weekly check-ins >= checkinRhythmMin (default 0.75), the learning
// reports' own counts summed over pilots; no data fails and says so.
const checkedIn = (due: number, done: number) =>
  practiceSums({ rhythmDue: due, rhythmDone: done, rhythm: done / due });
const pilots = [
  pilotEvidence('North', { practice: checkedIn(10, 9) }),
  pilotEvidence('South', { practice: checkedIn(10, 6) }),
];
const defaults = { checkinRhythmMin: 0.75 };

describe('check-in rhythm gate', () => {
  it('passes at the minimum share of due check-ins done, with the counts summed and per pilot', () => {
    const gate = checkinRhythmGate(rolloutEvidence(pilots, checkedIn(20, 15)), defaults);
    expect(gate).toMatchObject({
      key: 'checkin_rhythm',
      passed: true,
      numbers: { due: 20, done: 15, rhythm: 0.75 },
      thresholds: { checkinRhythmMin: 0.75 },
    });
    expect(gate.byPilot?.map((p) => p.numbers)).toEqual([
      { due: 10, done: 9, rhythm: 0.9 },
      { due: 10, done: 6, rhythm: 0.6 },
    ]);
  });

  it('fails below the minimum, or below a higher minimum of the rollout', () => {
    expect(checkinRhythmGate(rolloutEvidence(pilots, checkedIn(20, 14)), defaults).passed).toBe(false);
    expect(checkinRhythmGate(rolloutEvidence(pilots, checkedIn(20, 17)), { checkinRhythmMin: 0.9 }).passed).toBe(
      false,
    );
  });

  it('fails for want of data without a ready learning report, or with no check-in due', () => {
    for (const evidence of [rolloutEvidence([]), rolloutEvidence([pilotEvidence('North')])]) {
      const gate = checkinRhythmGate(evidence, defaults);
      expect(gate.passed).toBe(false);
      expect(gate.summary).toMatch(/^No data/);
    }
  });
});
