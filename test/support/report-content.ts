import type { LearningReportContent, ReadinessReportContent } from '@luotsi/domain';

/**
 * Built report contents as the builders store them, crafted by hand so the formats can be tested on
 * their own: every number here is chosen, and the tests derive what they expect from the raw counts.
 */

export interface LearningIds {
  organizationId: string;
  rolloutId: string;
  pilotId: string;
  quarterId: string;
  otherPilotId?: string;
}

const ZERO = '00000000-0000-4000-8000-000000000000';

/**
 * 48 invited, 32 answered: 23 of 30 staff, 5 of 8 managers, and 4 of 10 board members. The board is
 * under k = 5, so suppressed; the managers too, or the board's 4 would be the total minus the others.
 */
export const COUNTS = { invited: 48, responded: 32, staffInvited: 30, staffResponded: 23 };

export function learningContent(
  ids: Partial<LearningIds> = {},
  names: { organization?: string; pilot?: string } = {},
): LearningReportContent {
  const id = { organizationId: ZERO, rolloutId: ZERO, pilotId: ZERO, quarterId: ZERO, ...ids };
  const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    version: 2,
    builtAt: '2027-04-02T06:00:00.000Z',
    organization: { id: id.organizationId, name: names.organization ?? 'Pohjolan kaupunki' },
    rollout: { id: id.rolloutId, goal: 'Every unit plans its quarter with OKRs' },
    pilot: {
      id: id.pilotId,
      name: names.pilot ?? 'Hallituspilotti',
      waveNumber: 1,
      levels: ['board', 'management', 'staff'],
    },
    quarter: { id: id.quarterId, label: '2027-Q1', number: 1, startsOn: '2027-01-01', endsOn: '2027-03-31' },
    retrospective: { id: ZERO, anonymity: 'confidential', minGroupSize: 5, state: 'closed' },
    response: {
      of: COUNTS.invited,
      count: COUNTS.responded,
      rate: r4(COUNTS.responded / COUNTS.invited),
      byLevel: [
        { level: 'board', suppressed: true, reason: 'fewer than k responses' },
        { level: 'management', suppressed: true, reason: 'fewer than k responses' },
        {
          level: 'staff',
          of: COUNTS.staffInvited,
          count: COUNTS.staffResponded,
          rate: r4(COUNTS.staffResponded / COUNTS.staffInvited),
        },
      ],
    },
    questions: [
      {
        key: 'process_priorities',
        type: 'likert5',
        text: {
          fi: 'OKR:t ohjasivat viikoittaisia prioriteettejani.',
          sv: 'OKR:erna styrde mina veckoprioriteringar.',
          en: 'Our OKRs guided my weekly priorities.',
        },
        responses: 32,
        distribution: [
          { value: 1, count: 1 },
          { value: 2, count: 2 },
          { value: 3, count: 6 },
          { value: 4, count: 14 },
          { value: 5, count: 9 },
        ],
        mean: 3.9,
        median: 4,
        trend: [{ quarterId: id.quarterId, quarterLabel: '2027-Q1', responses: 32, mean: 3.9 }],
        byLevel: [
          { level: 'board', suppressed: true, reason: 'fewer than k responses' },
          { level: 'management', suppressed: true, reason: 'fewer than k responses' },
          { level: 'staff', responses: 23, mean: 3.9 },
        ],
      },
      {
        key: 'recommend',
        type: 'nps',
        text: {
          fi: 'Kuinka todennäköisesti suosittelisit tätä tapaa?',
          sv: 'Hur troligt är det att du skulle rekommendera arbetssättet?',
          en: 'How likely are you to recommend this way of working?',
        },
        responses: 20,
        distribution: Array.from({ length: 11 }, (_, value) => ({
          value,
          count: [0, 0, 1, 0, 1, 1, 2, 3, 4, 5, 3][value],
        })),
        mean: 7.4,
        median: 8,
        trend: [],
        byLevel: [],
      },
      {
        key: 'what_worked',
        type: 'free_text',
        text: { fi: 'Mikä toimi?', sv: 'Vad fungerade?', en: 'What worked?' },
        responses: 31,
        distribution: [],
        mean: null,
        median: null,
        trend: [],
        byLevel: [],
      },
    ],
    nps: { responses: 20, promoters: 8, passives: 7, detractors: 5, score: 15 },
    adkar: [
      { element: 'awareness', responses: 32, mean: 4.1, barrier: false },
      { element: 'ability', responses: 32, mean: 2.9, barrier: true },
    ],
    practice: {
      quarterId: id.quarterId,
      pilotId: id.pilotId,
      currentWeek: 13,
      weeksInQuarter: 13,
      rhythm: { due: 60, done: 42, share: 0.7, people: [] },
      confidence: [
        {
          keyResultId: ZERO,
          objectiveId: ZERO,
          title: 'Asiakastyytyväisyys 4,2 → 4,5',
          weeks: [
            { week: 1, confidence: 7 },
            { week: 2, confidence: 6 },
            { week: 3, confidence: 3 },
          ],
        },
      ],
      confidenceDrops: [{ keyResultId: ZERO, fromWeek: 2, toWeek: 3, from: 6, to: 3, drop: 3 }],
      noMovement: [],
      committed: { total: 4, met: 3, share: 0.75 },
      aspirational: { scored: 3, average: 0.6333, spread: 0.1247 },
      scoreBands: { green: 3, yellow: 2, red: 1, unscored: 1 },
      aspirationalReading: 'healthy',
    },
    comparison: [
      {
        pilotId: id.pilotId,
        pilotName: names.pilot ?? 'Hallituspilotti',
        quarterId: id.quarterId,
        quarterLabel: '2027-Q1',
        participants: 48,
        responseRate: r4(COUNTS.responded / COUNTS.invited),
        checkInRhythm: 0.7,
        nps: 15,
        committedMet: 0.75,
        aspirationalAverage: 0.6333,
        self: true,
      },
      {
        pilotId: id.otherPilotId ?? ZERO,
        pilotName: 'Henkilöstöpilotti',
        quarterId: ZERO,
        quarterLabel: '2027-Q1',
        participants: 55,
        responseRate: 0.5818,
        checkInRhythm: 0.81,
        nps: 22.5,
        committedMet: 0.9,
        aspirationalAverage: 0.71,
        self: false,
      },
    ],
    // "What worked?": 22 answers in Finnish, 4 in Swedish (under k) and 5 in English, which the builder
    // hid as well, since the Swedish 4 would otherwise be 31 − 22 − 5.
    themes: [
      {
        key: 'what_worked',
        text: { fi: 'Mikä toimi?', sv: 'Vad fungerade?', en: 'What worked?' },
        responses: 31,
        languages: [
          {
            locale: 'fi',
            responses: 22,
            terms: [
              { term: 'viikkopalaverit', count: 9 },
              { term: 'tavoitteet', count: 7 },
            ],
            phrases: [{ phrase: 'yhteinen suunta', count: 4 }],
            quotes: ['Viikkopalaverit toimivat ja auttoivat keskittymään.'],
            suppressed: false,
          },
          {
            locale: 'sv',
            responses: 4,
            terms: [{ term: 'styrelsemöten', count: 3 }],
            phrases: [],
            quotes: [],
            suppressed: true,
          },
          { locale: 'en', responses: 0, terms: [], phrases: [], quotes: [], suppressed: true },
        ],
        suppressed: false,
      },
    ],
    flags: [
      {
        code: 'confidence_falling',
        message: 'Confidence fell in two quarters in a row.',
        numbers: { previous: 6.5, latest: 5.1 },
      },
    ],
  };
}

export function readinessContent(
  ids: { organizationId?: string; rolloutId?: string; learningReportId?: string; pilotId?: string } = {},
  names: { organization?: string } = {},
): ReadinessReportContent {
  const report = {
    id: ids.learningReportId ?? ZERO,
    pilotId: ids.pilotId ?? ZERO,
    pilotName: 'Hallituspilotti',
    quarterLabel: '2027-Q1',
  };
  const gate = (
    key: ReadinessReportContent['gates'][number]['key'],
    passed: boolean,
    summary: string,
    numbers: Record<string, number | string | null>,
    thresholds: Record<string, number>,
  ) => ({ key, passed, summary, numbers, thresholds, learningReports: [report] });
  return {
    version: 1,
    builtAt: '2027-04-03T06:00:00.000Z',
    organization: {
      id: ids.organizationId ?? ZERO,
      name: names.organization ?? 'Pohjolan kaupunki',
      headcount: 8000,
    },
    rollout: {
      id: ids.rolloutId ?? ZERO,
      goal: 'Every unit plans its quarter with OKRs',
      targetHeadcount: 8000,
      plannedWaves: 3,
      status: 'piloting',
    },
    thresholds: { checkinRhythmMin: 0.75, responseRateMin: 0.5 },
    gates: [
      gate(
        'participation',
        true,
        '80.0% took part.',
        { participants: 40, tookPart: 32, participation: 0.8 },
        { participationMin: 0.6 },
      ),
      gate(
        'response_rate',
        true,
        '27 of 40 answered.',
        { invited: 40, responded: 27, responseRate: 0.675 },
        { responseRateMin: 0.5 },
      ),
      gate(
        'checkin_rhythm',
        false,
        '42 of 60 due check-ins were done (70.0%), against at least 75.0%.',
        { due: 60, done: 42, rhythm: 0.7 },
        { checkinRhythmMin: 0.75 },
      ),
      gate(
        'outcome_health',
        true,
        'Healthy.',
        { aspirationalAverage: 0.6333, committedMet: 0.75 },
        { aspirationalMin: 0.6, aspirationalMax: 0.85, committedMetMin: 0.7 },
      ),
      gate('people_readiness', true, 'No barrier.', { lowestMean: 3.4 }, { adkarBarrier: 3 }),
      gate('trend', true, 'Not falling.', { change: 0.1 }, { trendTolerance: 0 }),
      gate(
        'capacity',
        true,
        '2 coaches for 120 participants.',
        { coaches: 2, participantsPerCoach: 60 },
        { participantsPerCoachMax: 80 },
      ),
    ],
    verdict: 'ready_with_conditions',
    conditions: ['checkin_rhythm'],
    nextWave: {
      size: 120,
      levels: ['staff', 'management'],
      coachesNeeded: 2,
      startQuarter: '2027-Q3',
      newLevels: ['management'],
      basis: {
        targetHeadcount: 8000,
        participantsInPilots: 40,
        remainingHeadcount: 7960,
        largestPilot: 40,
        waveSizeFactor: 3,
        participantsPerCoachMax: 80,
      },
    },
  };
}
