import { READINESS_GATES, ReadinessGate } from '../report-content';
import { InvalidInputError } from '../../common/errors';
import { proposeNextWave, verdictOf } from './readiness-gates';
import { effectiveThresholds, validateThresholds } from './readiness-thresholds';

const gates = (...failing: string[]): ReadinessGate[] =>
  READINESS_GATES.map((key) => ({
    key,
    passed: !failing.includes(key),
    summary: '',
    numbers: {},
    thresholds: {},
    learningReports: [],
  }));

describe('readiness verdict', () => {
  it.each([
    [[], 'ready'],
    [['trend'], 'ready_with_conditions'],
    [['trend', 'capacity'], 'ready_with_conditions'],
    [['participation', 'trend', 'capacity'], 'not_ready'],
    [['people_readiness'], 'not_ready'],
    [['checkin_rhythm'], 'not_ready'],
  ])('with %j failing: %s', (failing, verdict) => {
    expect(verdictOf(gates(...failing))).toEqual({ verdict, conditions: failing });
  });
});

describe('next wave', () => {
  const wave = (overrides: Partial<Parameters<typeof proposeNextWave>[0]> = {}) =>
    proposeNextWave({
      targetHeadcount: 500,
      sector: 'company',
      wave: { participantsInPilots: 40, largestPilot: 25, pilotCoaches: 1, pilotedLevels: ['staff', 'management'] },
      thresholds: effectiveThresholds(),
      startQuarter: '2028-Q1',
      ...overrides,
    });

  it('grows by the wave size factor, within what is left, with coaches to match', () => {
    expect(wave()).toMatchObject({ size: 75, coachesNeeded: 1, levels: ['management', 'staff', 'board'] });
    expect(wave({ targetHeadcount: 100 })).toMatchObject({ size: 60 });
    expect(wave({ thresholds: effectiveThresholds({ participantsPerCoachMax: 30 }) }).coachesNeeded).toBe(3);
  });

  it('offers volunteers only to non-profits', () => {
    expect(wave({ sector: 'nonprofit' }).newLevels).toEqual(['board', 'volunteers']);
  });
});

describe('readiness thresholds', () => {
  it('takes the defaults for what is not set', () => {
    expect(effectiveThresholds({ trendTolerance: 0.5, unknown: 3 })).toMatchObject({
      trendTolerance: 0.5,
      checkinRhythmMin: 0.75,
    });
    expect(effectiveThresholds()).not.toHaveProperty('coachesAvailable');
  });

  it('names every bad field at once', () => {
    try {
      validateThresholds({ nope: 1, checkinRhythmMin: 2, coachesAvailable: 1.5 });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).issues.map((i) => i.field)).toEqual([
        'nope',
        'checkinRhythmMin',
        'coachesAvailable',
      ]);
    }
  });
});
