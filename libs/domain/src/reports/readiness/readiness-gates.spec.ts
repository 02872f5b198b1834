import { READINESS_GATES, ReadinessGate } from '../report-content';
import { InvalidInputError } from '../../common/errors';
import { judgeGates, proposeNextWave, verdictOf } from './readiness-gates';
import type { PilotEvidence, PracticeSums, RolloutEvidence } from './readiness-evidence';
import { effectiveThresholds, validateThresholds } from './readiness-thresholds';
import { NO_TREND } from '../../../../../test/support/readiness-evidence';

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

describe('gates on what the learning reports publish', () => {
  const practice: PracticeSums = {
    participants: 10,
    tookPart: 8,
    participation: 0.8,
    invited: 10,
    responded: 4,
    responseRate: 0.4,
    rhythmDue: 10,
    rhythmDone: 8,
    rhythm: 0.8,
    committedTotal: 2,
    committedMet: 2,
    committedMetShare: 1,
    aspirationalScored: 2,
    aspirationalAverage: 0.7,
  };
  /** A pilot whose report published no ADKAR rating and no trend point (4 answers, k = 5). */
  const withheld: PilotEvidence = {
    report: { id: 'r1', pilotId: 'p1', pilotName: 'Pilot Small', quarterLabel: '2027-Q2' },
    practice,
    adkar: [],
    trend: NO_TREND,
  };
  const wave = proposeNextWave({
    targetHeadcount: 100,
    sector: 'company',
    wave: { participantsInPilots: 10, largestPilot: 10, pilotCoaches: 1, pilotedLevels: ['staff'] },
    thresholds: effectiveThresholds(),
    startQuarter: '2027-Q3',
  });
  const judge = (evidence: RolloutEvidence) =>
    judgeGates(evidence, wave, { participantsInPilots: 10, largestPilot: 10, pilotCoaches: 1, pilotedLevels: ['staff'] }, effectiveThresholds());

  it('fails people readiness and trend for want of published data, and says why', () => {
    const gates = judge({ pilots: [withheld], totals: practice, adkar: [] });
    const people = gates.find((g) => g.key === 'people_readiness')!;
    expect(people.passed).toBe(false);
    expect(people.summary).toBe(
      "No data: no pilot's latest learning report publishes an ADKAR rating for awareness, desire, knowledge, " +
        'ability, reinforcement (fewer than k answers, a run not yet closed, or not asked).',
    );
    expect(people.byPilot![0].numbers).toEqual({
      awareness: null,
      desire: null,
      knowledge: null,
      ability: null,
      reinforcement: null,
    });
    const trend = gates.find((g) => g.key === 'trend')!;
    expect(trend.passed).toBe(false);
    expect(trend.summary).toMatch(/^No data: no pilot has two quarters with a published mean/);
    // Counts are published however few answered: the response rate is judged on them.
    expect(gates.find((g) => g.key === 'response_rate')!.summary).toMatch(/^4 of 10 invited answered/);
  });

  it('names a pilot left out of the means when others have published ones', () => {
    const rated: PilotEvidence = {
      report: { id: 'r2', pilotId: 'p2', pilotName: 'Pilot Large', quarterLabel: '2027-Q2' },
      practice,
      adkar: [
        { element: 'awareness', responses: 9, mean: 4 },
        { element: 'desire', responses: 9, mean: 3.8 },
        { element: 'knowledge', responses: 9, mean: 3.6 },
        { element: 'ability', responses: 9, mean: 3.4 },
        // Not asked in this pilot's set: left out of its ratings, like a withheld one.
      ],
      trend: { ...NO_TREND, question: 'confidence_next_quarter', previousQuarter: '2027-Q1', previous: 7, latestQuarter: '2027-Q2', latest: 7.2, change: 0.2 },
    };
    const other: PilotEvidence = {
      ...rated,
      report: { ...rated.report, id: 'r3', pilotId: 'p3', pilotName: 'Pilot Other' },
      adkar: [...rated.adkar, { element: 'reinforcement', responses: 6, mean: 3.5 }],
    };
    const gates = judge({
      pilots: [withheld, rated, other],
      totals: practice,
      adkar: [...other.adkar],
    });
    const people = gates.find((g) => g.key === 'people_readiness')!;
    expect(people.passed).toBe(true);
    expect(people.summary).toMatch(
      /Not counted, as their latest reports publish no rating \(fewer than k answers, a run not yet closed, or not asked\): Pilot Small \(every element\); Pilot Large \(reinforcement\)\.$/,
    );
    const trend = gates.find((g) => g.key === 'trend')!;
    expect(trend.passed).toBe(true);
    expect(trend.numbers).toMatchObject({ pilotsCompared: 2 });
    expect(trend.summary).toMatch(/Not compared, without two quarters with a published mean .*: Pilot Small\.$/);
  });
});
