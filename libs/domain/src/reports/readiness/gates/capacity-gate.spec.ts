import { capacityGate } from './capacity-gate';

// docs/reports.md: passes when next wave size / coaches available <= participantsPerCoachMax (150). Coaches
// available are coachesAvailable when the coach sets it, otherwise the distinct coaches of the pilots. A next
// wave of nobody passes. Capacity reads no learning report.
const wave = (size: number) => ({ size, coachesNeeded: Math.ceil(size / 150) });
const judge = (size: number, pilotCoaches: number, coachesAvailable?: number) =>
  capacityGate(wave(size), { pilotCoaches }, { participantsPerCoachMax: 150, coachesAvailable });

describe('capacity gate', () => {
  it("passes at the most participants per coach, with the pilots' coaches", () => {
    expect(judge(300, 2)).toEqual({
      key: 'capacity',
      passed: true,
      summary: expect.any(String),
      numbers: expect.objectContaining({ nextWaveSize: 300, coachesAvailable: 2, participantsPerCoach: 150 }),
      thresholds: { participantsPerCoachMax: 150 },
      learningReports: [],
    });
  });

  it('fails beyond the most per coach, showing the coaches needed', () => {
    const gate = judge(302, 2);
    expect(gate.passed).toBe(false);
    expect(gate.numbers).toMatchObject({ participantsPerCoach: 151, coachesNeeded: 3 });
  });

  it("takes the rollout's coaches available over the pilots' coaches", () => {
    const gate = judge(300, 1, 3);
    expect(gate).toMatchObject({ passed: true, numbers: { coachesAvailable: 3, participantsPerCoach: 100 } });
    expect(judge(300, 3, 1).passed).toBe(false);
  });

  it('passes a next wave of nobody, even without a coach', () => {
    expect(judge(0, 0).passed).toBe(true);
  });

  it('fails with no coach for a wave of people', () => {
    expect(judge(10, 0).passed).toBe(false);
  });
});
