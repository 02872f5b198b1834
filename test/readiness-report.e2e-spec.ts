import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  unique,
  Workspace,
} from './support/fixtures';
import { waitFor } from './support/processes';
import { startWorker, TestWorker } from './support/worker';

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
/** Publication policy: a mean of answers is published to one decimal (every mean here is positive). */
const oneDecimal = (value: number) => Math.round(value * 10) / 10;
/** The seeded runs' k (their minGroupSize): no figure from fewer answers is published. */
const K = 5;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const ELEMENTS = ['awareness', 'desire', 'knowledge', 'ability', 'reinforcement'] as const;
type Element = (typeof ELEMENTS)[number];
const WEEKS = 12;

/** `n` people of one level, with addresses no other pilot shares. */
const csv = (n: number, level: string) => {
  const domain = `${unique()}.example`;
  const rows = Array.from({ length: n }, (_, i) => `person${i}@${domain},Person ${i},${level}`);
  return ['email,name,level', ...rows].join('\n') + '\n';
};

/** What one pilot's latest learning report says, as a coach would read it off the report. */
interface PilotData {
  name: string;
  levels: string[];
  participants: number;
  invited: number;
  responded: number;
  /** Owners of key results; the first `checkedIn` of them checked in at least once. */
  owners: number;
  checkedIn: number;
  /** Weekly check-ins done, of owners × WEEKS due. */
  done: number;
  committed: { met: number; total: number };
  aspirational: { scored: number; average: number };
  adkar: Record<Element, number>;
  /** The headline question's mean in quarters 1 and 2. */
  confidence: [number, number];
  /**
   * Stored by a build from before the publication policy: every figure as computed, however few
   * answered, with means of four decimals. Otherwise stored as the builder stores it now.
   */
  builtBeforePolicy?: true;
}

const goodA: PilotData = {
  name: 'Pilot Aalto',
  levels: ['staff'],
  participants: 12,
  invited: 12,
  responded: 9,
  owners: 10,
  checkedIn: 8,
  done: 100,
  committed: { met: 5, total: 6 },
  aspirational: { scored: 8, average: 0.68 },
  adkar: { awareness: 4.2, desire: 3.9, knowledge: 3.6, ability: 3.4, reinforcement: 3.3 },
  confidence: [6.9, 7.4],
};
const goodB: PilotData = {
  name: 'Pilot Berg',
  levels: ['management', 'staff'],
  participants: 10,
  invited: 9,
  responded: 6,
  owners: 8,
  checkedIn: 7,
  done: 76,
  committed: { met: 4, total: 5 },
  aspirational: { scored: 6, average: 0.74 },
  adkar: { awareness: 4.0, desire: 3.7, knowledge: 3.5, ability: 3.2, reinforcement: 3.6 },
  confidence: [7.0, 7.0],
};

/**
 * A learning report's content as the learning report builder stores it (the parts a reader sees): by
 * the publication policy, with fewer than k answers the questions keep only their count, the trend no
 * point, and NPS and ADKAR are left out; means have one decimal; the build time is in the row only.
 */
function learningContent(
  data: PilotData,
  ids: { pilotId: string; quarterId: string; label: string; number: number },
  trend: { label: string; mean: number }[],
) {
  const people = Array.from({ length: data.owners }, (_, i) => {
    // Spread the done weeks over the first `checkedIn` owners; the others did none.
    const base = Math.floor(data.done / data.checkedIn);
    const extra = i < data.done % data.checkedIn ? 1 : 0;
    const done = i < data.checkedIn ? base + extra : 0;
    return { participantId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, due: WEEKS, done };
  });
  const due = data.owners * WEEKS;
  const raw = data.builtBeforePolicy === true;
  const shown = raw || data.responded >= K;
  const mean = (value: number) => (raw ? value : oneDecimal(value));
  const withheld = {
    distribution: [],
    mean: null,
    median: null,
    trend: [],
    byLevel: [],
    suppressed: true,
    reason: 'fewer than k responses',
  };
  return {
    version: 1,
    organization: { id: 'x', name: 'x' },
    rollout: { id: 'x', goal: 'x' },
    pilot: { id: ids.pilotId, name: data.name, waveNumber: 1, levels: data.levels },
    quarter: { id: ids.quarterId, label: ids.label, number: ids.number, startsOn: '', endsOn: '' },
    retrospective: { id: 'x', anonymity: 'anonymous', minGroupSize: 5, state: 'closed' },
    response: {
      of: data.invited,
      count: data.responded,
      rate: round4(data.responded / data.invited),
      byLevel: [],
    },
    questions: [
      {
        key: 'okrs_guided_priorities',
        type: 'likert5',
        text: { fi: '', sv: '', en: '' },
        responses: data.responded,
        ...(shown
          ? {
              distribution: [],
              mean: 3.9,
              median: 4,
              trend: [{ quarterId: 'x', quarterLabel: ids.label, responses: data.responded, mean: 1.5 }],
              byLevel: [],
            }
          : withheld),
      },
      {
        key: 'confidence_next_quarter',
        type: 'scale10',
        text: { fi: '', sv: '', en: '' },
        responses: data.responded,
        ...(shown
          ? {
              distribution: [],
              mean: mean(trend.at(-1)!.mean),
              median: 7,
              trend: trend.map((t) => ({
                quarterId: 'x',
                quarterLabel: t.label,
                responses: data.responded,
                mean: mean(t.mean),
              })),
              byLevel: [],
            }
          : withheld),
      },
    ],
    nps: shown ? { responses: data.responded, promoters: 3, passives: 3, detractors: 0, score: 33.3 } : null,
    adkar: shown
      ? ELEMENTS.map((element) => ({
          element,
          responses: data.responded,
          mean: mean(data.adkar[element]),
          barrier: mean(data.adkar[element]) <= 3,
        }))
      : [],
    practice: {
      quarterId: ids.quarterId,
      pilotId: ids.pilotId,
      currentWeek: WEEKS,
      weeksInQuarter: 13,
      rhythm: { due, done: data.done, share: round4(data.done / due), people },
      confidence: [],
      confidenceDrops: [],
      noMovement: [],
      committed: {
        total: data.committed.total,
        met: data.committed.met,
        share: round4(data.committed.met / data.committed.total),
      },
      aspirational: { scored: data.aspirational.scored, average: data.aspirational.average, spread: 0.1 },
      scoreBands: { green: 5, yellow: 3, red: 1, unscored: 0 },
      aspirationalReading: 'healthy',
    },
    comparison: [
      {
        pilotId: ids.pilotId,
        pilotName: data.name,
        quarterId: ids.quarterId,
        quarterLabel: ids.label,
        participants: data.participants,
        responseRate: round4(data.responded / data.invited),
        checkInRhythm: round4(data.done / due),
        nps: shown ? 33.3 : null,
        committedMet: null,
        aspirationalAverage: data.aspirational.average,
        self: true,
      },
      { pilotId: 'other', pilotName: 'Other', participants: 999, self: false },
    ],
    themes: [],
    flags: [],
  };
}

/** A quarter-1 report that would fail every gate: proof that only each pilot's latest report counts. */
const stale = (data: PilotData): PilotData => ({
  ...data,
  responded: 1,
  checkedIn: 1,
  done: 1,
  committed: { met: 0, total: 4 },
  aspirational: { scored: 2, average: 0.1 },
  adkar: { awareness: 1, desire: 1, knowledge: 1, ability: 1, reinforcement: 1 },
});

/** Every number a sponsor should see, worked out here from the seeded data, not by the code under test. */
function expected(pilots: PilotData[], t: Record<string, number> = {}) {
  const th = {
    participationMin: 0.6,
    responseRateMin: 0.5,
    checkinRhythmMin: 0.75,
    aspirationalMin: 0.6,
    aspirationalMax: 0.85,
    committedMetMin: 0.8,
    adkarBarrier: 3,
    trendTolerance: 0,
    participantsPerCoachMax: 150,
    waveSizeFactor: 3,
    ...t,
  };
  const participants = sum(pilots.map((p) => p.participants));
  const tookPart = sum(pilots.map((p) => Math.max(p.responded, p.checkedIn)));
  const invited = sum(pilots.map((p) => p.invited));
  const responded = sum(pilots.map((p) => p.responded));
  const due = sum(pilots.map((p) => p.owners * WEEKS));
  const done = sum(pilots.map((p) => p.done));
  const committedTotal = sum(pilots.map((p) => p.committed.total));
  const committedMet = sum(pilots.map((p) => p.committed.met));
  const scored = sum(pilots.map((p) => p.aspirational.scored));
  const aspirational = round4(
    sum(pilots.map((p) => p.aspirational.average * p.aspirational.scored)) / scored,
  );
  // ADKAR and the trend count only what each pilot's report publishes: nothing from fewer than k
  // answers, and means of one decimal (the policy applies when the readiness report reads them).
  const rated = pilots.filter((p) => p.responded >= K);
  const ratedResponses = sum(rated.map((p) => p.responded));
  const adkar = Object.fromEntries(
    ELEMENTS.map((e) => [
      e,
      round4(sum(rated.map((p) => oneDecimal(p.adkar[e]) * p.responded)) / ratedResponses),
    ]),
  ) as Record<Element, number>;
  const changes = rated.map((p) => round4(oneDecimal(p.confidence[1]) - oneDecimal(p.confidence[0])));
  const largest = Math.max(...pilots.map((p) => p.participants));
  const size = Math.min(8000 - participants, Math.floor(th.waveSizeFactor * largest));
  const coaches = 1;
  const gates = {
    participation: {
      passed: tookPart / participants >= th.participationMin,
      numbers: { participants, tookPart, participation: round4(tookPart / participants) },
    },
    response_rate: {
      passed: responded / invited >= th.responseRateMin,
      numbers: { invited, responded, responseRate: round4(responded / invited) },
    },
    checkin_rhythm: {
      passed: done / due >= th.checkinRhythmMin,
      numbers: { due, done, rhythm: round4(done / due) },
    },
    outcome_health: {
      passed:
        aspirational >= th.aspirationalMin &&
        aspirational < th.aspirationalMax &&
        committedMet / committedTotal >= th.committedMetMin,
      numbers: {
        aspirationalScored: scored,
        aspirationalAverage: aspirational,
        committedTotal,
        committedMet,
        committedMetShare: round4(committedMet / committedTotal),
      },
    },
    people_readiness: {
      passed: ELEMENTS.every((e) => adkar[e] > th.adkarBarrier),
      numbers: {
        ...adkar,
        barriers: ELEMENTS.filter((e) => adkar[e] <= th.adkarBarrier).join(', '),
        responses: ratedResponses,
      },
    },
    trend: {
      passed: changes.every((c) => c >= -th.trendTolerance),
      numbers: {
        question: 'confidence_next_quarter',
        pilotsCompared: rated.length,
        pilotsFalling: changes.filter((c) => c < -th.trendTolerance).length,
        largestFall: Math.min(0, ...changes),
        fallingPilots: rated
          .filter((_, i) => changes[i] < -th.trendTolerance)
          .map((p) => p.name)
          .join(', '),
      },
    },
    capacity: {
      passed: size / coaches <= th.participantsPerCoachMax,
      numbers: {
        nextWaveSize: size,
        coachesAvailable: coaches,
        coachesFrom: 'pilots',
        participantsPerCoach: round4(size / coaches),
        coachesNeeded: Math.ceil(size / th.participantsPerCoachMax),
      },
    },
  };
  const piloted = ['board', 'management', 'staff', 'volunteers'].filter((l) =>
    pilots.some((p) => p.levels.includes(l)),
  );
  const newLevels = ['board', 'management', 'staff'].filter((l) => !piloted.includes(l));
  return {
    gates,
    conditions: Object.entries(gates)
      .filter(([, g]) => !g.passed)
      .map(([key]) => key),
    nextWave: {
      size,
      levels: [...piloted, ...newLevels],
      newLevels,
      coachesNeeded: Math.ceil(size / th.participantsPerCoachMax),
      startQuarter: '2027-Q3',
      basis: {
        targetHeadcount: 8000,
        participantsInPilots: participants,
        remainingHeadcount: 8000 - participants,
        largestPilot: largest,
        waveSizeFactor: th.waveSizeFactor,
        participantsPerCoachMax: th.participantsPerCoachMax,
      },
    },
  };
}

interface Gate {
  key: string;
  passed: boolean;
  summary: string;
  numbers: Record<string, unknown>;
  thresholds: Record<string, number>;
  learningReports: { id: string; pilotId: string; pilotName: string; quarterLabel: string }[];
  byPilot?: { pilotName: string; numbers: Record<string, unknown> }[];
}

/**
 * A rollout's readiness report, built by the worker from the pilots' latest ready learning reports
 * (seeded here as the learning report builder would store them), judged gate by gate, with a verdict,
 * a proposed next wave, and the sponsors' decision in the audit log.
 */
describe('readiness report', () => {
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  let coach: { id: string; token: string };
  let sponsor: { id: string; token: string };
  let otherSponsor: { id: string; token: string };
  let organizationId: string;
  const clock = new ManualClock(new Date('2027-07-02T09:00:00Z'));
  const rollouts: Record<string, { id: string; reports: Record<string, string> }> = {};

  beforeAll(async () => {
    api = await startApi({ clock });
    worker = await startWorker(api.env, clock);
    owner = await signUp(api.http);
    organizationId = (await createOrganization(api.http, owner.token, { sector: 'public', headcount: 9000 }))
      .id;
    const other = await createOrganization(api.http, owner.token, { name: unique('Other org ') });
    coach = await addMember(api.http, owner, 'coach');
    sponsor = await addMember(api.http, owner, 'sponsor', [organizationId]);
    otherSponsor = await addMember(api.http, owner, 'sponsor', [other.id]);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  const auth = () => bearer(owner.token);

  /** A rollout whose pilots have ready learning reports for quarters 1 and 2 (and one still building for 3). */
  async function seedRollout(key: string, pilots: PilotData[]) {
    const rollout = await createRollout(api.http, owner.token, organizationId);
    const reports: Record<string, string> = {};
    for (const data of pilots) {
      const pilot = await createPilot(api.http, owner.token, rollout.id, {
        name: data.name,
        levels: data.levels,
        coachId: coach.id,
      });
      await api.http
        .post(`/api/v1/pilots/${pilot.id}/participants/import`)
        .set(auth())
        .set('Content-Type', 'text/csv')
        .send(Buffer.from(csv(data.participants, data.levels[0])))
        .expect(200);
      const quarters = (await api.http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(auth()).expect(200))
        .body as { id: string; number: number; label: string }[];
      const [q1, q2, q3] = [1, 2, 3].map((n) => quarters.find((q) => q.number === n)!);
      const seeded = [
        [q1, learningContent(stale(data), { ...ids(pilot.id, q1) }, [{ label: q1.label, mean: 1 }]), 'ready'],
        [
          q2,
          learningContent(data, ids(pilot.id, q2), [
            { label: q1.label, mean: data.confidence[0] },
            { label: q2.label, mean: data.confidence[1] },
          ]),
          'ready',
        ],
        [q3, null, 'building'],
      ] as const;
      for (const [quarter, content, status] of seeded) {
        const [row] = await api.db.query(
          `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, progress,
                                        content, requested_at, built_at)
           VALUES ($1, $2, $3, $4, $5, 100, $6, now(), now()) RETURNING id`,
          [owner.id, organizationId, pilot.id, quarter.id, status, content ? JSON.stringify(content) : null],
        );
        if (quarter === q2) reports[data.name] = row.id;
      }
    }
    rollouts[key] = { id: rollout.id, reports };
    return rollouts[key];
  }
  const ids = (pilotId: string, q: { id: string; number: number; label: string }) => ({
    pilotId,
    quarterId: q.id,
    label: q.label,
    number: q.number,
  });

  /** POST, then the worker builds it; the latest report is read back once ready. */
  async function build(rolloutId: string) {
    const queued = await api.http
      .post(`/api/v1/rollouts/${rolloutId}/readiness-report`)
      .set(auth())
      .expect(202);
    expect(queued.body).toMatchObject({ status: 'queued', progress: 0, content: null, verdict: null });
    let latest: { status: string } = queued.body;
    await waitFor(
      async () => {
        latest = (
          await api.http.get(`/api/v1/rollouts/${rolloutId}/readiness-report`).set(auth()).expect(200)
        ).body;
        return latest.status === 'ready' || latest.status === 'failed';
      },
      30_000,
      () => `report still ${latest.status}`,
    );
    const report = (await api.http.get(`/api/v1/readiness-reports/${queued.body.id}`).set(auth()).expect(200))
      .body;
    expect(report).toMatchObject({ id: queued.body.id, status: 'ready', progress: 100, lastError: null });
    return report as {
      id: string;
      verdict: string;
      content: { gates: Gate[]; verdict: string; conditions: string[]; nextWave: unknown };
    };
  }

  const gate = (report: { content: { gates: Gate[] } }, key: string) =>
    report.content.gates.find((g) => g.key === key)!;

  function expectMatches(report: Awaited<ReturnType<typeof build>>, pilots: PilotData[], t = {}) {
    const want = expected(pilots, t);
    expect(report.content.gates.map((g) => g.key)).toEqual([
      'participation',
      'response_rate',
      'checkin_rhythm',
      'outcome_health',
      'people_readiness',
      'trend',
      'capacity',
    ]);
    for (const [key, g] of Object.entries(want.gates)) {
      expect({ key, passed: gate(report, key).passed, numbers: gate(report, key).numbers }).toEqual({
        key,
        passed: g.passed,
        numbers: g.numbers,
      });
    }
    expect(report.content.conditions).toEqual(want.conditions);
    expect(report.content.nextWave).toEqual(want.nextWave);
  }

  it('says ready when every gate passes, with the numbers, the learning reports and the next wave', async () => {
    const pilots = [goodA, goodB];
    const seeded = await seedRollout('ready', pilots);
    const report = await build(seeded.id);
    expectMatches(report, pilots);
    expect(report.verdict).toBe('ready');
    expect(report.content.verdict).toBe('ready');

    // Each gate that reads the learning reports links the pilots' latest ready ones (quarter 2).
    const links = gate(report, 'response_rate').learningReports;
    expect(links).toEqual([
      {
        id: seeded.reports['Pilot Aalto'],
        pilotId: expect.any(String),
        pilotName: 'Pilot Aalto',
        quarterLabel: '2027-Q2',
      },
      {
        id: seeded.reports['Pilot Berg'],
        pilotId: expect.any(String),
        pilotName: 'Pilot Berg',
        quarterLabel: '2027-Q2',
      },
    ]);
    expect(gate(report, 'capacity').learningReports).toEqual([]);
    expect(gate(report, 'checkin_rhythm').thresholds).toEqual({ checkinRhythmMin: 0.75 });
    expect(gate(report, 'trend').byPilot!.map((p) => [p.pilotName, p.numbers.change])).toEqual([
      ['Pilot Aalto', round4(goodA.confidence[1] - goodA.confidence[0])],
      ['Pilot Berg', 0],
    ]);
    expect(gate(report, 'response_rate').byPilot!.map((p) => p.numbers.responseRate)).toEqual([
      round4(goodA.responded / goodA.invited),
      round4(goodB.responded / goodB.invited),
    ]);

    // Sponsors with a grant read it; a sponsor of another organization finds nothing.
    const read = await api.http
      .get(`/api/v1/rollouts/${seeded.id}/readiness-report`)
      .set(bearer(sponsor.token));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: report.id, verdict: 'ready', decision: null });
    await api.http.get(`/api/v1/readiness-reports/${report.id}`).set(bearer(otherSponsor.token)).expect(404);
    await api.http
      .get(`/api/v1/rollouts/${seeded.id}/readiness-report`)
      .set(bearer(otherSponsor.token))
      .expect(404);
    // A sponsor cannot build one.
    await api.http
      .post(`/api/v1/rollouts/${seeded.id}/readiness-report`)
      .set(bearer(sponsor.token))
      .expect(403);
  });

  it('says ready_with_conditions when one soft gate fails, and names it with its numbers', async () => {
    const falling = { ...goodB, confidence: [7.5, 6.8] as [number, number] };
    const pilots = [goodA, falling];
    const seeded = await seedRollout('falling', pilots);
    const report = await build(seeded.id);
    expectMatches(report, pilots);
    expect(report.verdict).toBe('ready_with_conditions');
    expect(report.content.conditions).toEqual(['trend']);
    const trend = gate(report, 'trend');
    expect(trend.numbers).toMatchObject({ pilotsFalling: 1, largestFall: -0.7, fallingPilots: 'Pilot Berg' });
    expect(trend.summary).toContain('Pilot Berg 7.5 (2027-Q1) → 6.8 (2027-Q2)');
  });

  it('says not_ready when an ADKAR element averages 3.0, naming the barrier', async () => {
    const pilots = [
      { ...goodA, adkar: { ...goodA.adkar, desire: 3.0 } },
      { ...goodB, adkar: { ...goodB.adkar, desire: 3.0 } },
    ];
    const seeded = await seedRollout('barrier', pilots);
    const report = await build(seeded.id);
    expectMatches(report, pilots);
    expect(report.verdict).toBe('not_ready');
    expect(report.content.conditions).toEqual(['people_readiness']);
    const people = gate(report, 'people_readiness');
    expect(people.numbers).toMatchObject({ desire: 3, barriers: 'desire' });
    expect(people.summary).toMatch(/desire at or below 3 is a barrier/);
  });

  it("reads each pilot's report as the publication policy publishes it, and says what it left out", async () => {
    // Both stored by builds from before the policy. Dahl's 9 answers have four-decimal means; Cedar's 4
    // answers (fewer than k = 5) still carry ADKAR ratings and a trend.
    const dahl: PilotData = {
      ...goodA,
      name: 'Pilot Dahl',
      adkar: { awareness: 4.1667, desire: 3.8889, knowledge: 3.5556, ability: 3.4444, reinforcement: 3.0444 },
      confidence: [7.0444, 6.9556],
      builtBeforePolicy: true,
    };
    const cedar: PilotData = {
      name: 'Pilot Cedar',
      levels: ['staff'],
      participants: 8,
      invited: 8,
      responded: 4,
      owners: 6,
      checkedIn: 6,
      done: 60,
      committed: { met: 4, total: 5 },
      aspirational: { scored: 4, average: 0.7 },
      adkar: { awareness: 3.5, desire: 3.25, knowledge: 3.5, ability: 2, reinforcement: 3.75 },
      confidence: [7.25, 5],
      builtBeforePolicy: true,
    };
    const pilots = [cedar, dahl];
    const seeded = await seedRollout('published', pilots);
    const report = await build(seeded.id);
    expectMatches(report, pilots);

    // Counts are published whatever their size: Cedar's 4 of 8 are in the response rate.
    expect(gate(report, 'response_rate').numbers).toMatchObject({
      invited: cedar.invited + dahl.invited,
      responded: cedar.responded + dahl.responded,
    });
    // Cedar's ADKAR ratings (ability 2: a barrier) come from fewer than k answers: not counted, and
    // said so. Dahl's reinforcement is published as 3.0 (one decimal), at the barrier as its own report
    // shows it; read raw, 3.0444 would have passed.
    const people = gate(report, 'people_readiness');
    expect(people.numbers).toMatchObject({ ability: oneDecimal(dahl.adkar.ability), reinforcement: 3 });
    expect(people.numbers.barriers).toBe('reinforcement');
    expect(people.byPilot!.find((p) => p.pilotName === 'Pilot Cedar')!.numbers).toEqual(
      Object.fromEntries(ELEMENTS.map((e) => [e, null])),
    );
    expect(people.summary).toContain(
      'Not counted, as their latest reports publish no rating (fewer than k answers, a run not yet closed, ' +
        'or not asked): Pilot Cedar (every element).',
    );
    // Dahl's trend is 7.0 → 7.0 as published (raw, 7.0444 → 6.9556 would be a fall); Cedar's points of
    // 4 answers are left out, so it is not compared, and the summary names it.
    const trend = gate(report, 'trend');
    expect(trend.passed).toBe(true);
    expect(trend.summary).toContain('Pilot Dahl 7 (2027-Q1) → 7 (2027-Q2)');
    expect(trend.summary).toContain(
      'Not compared, without two quarters with a published mean (fewer than k answers, a run not yet ' +
        'closed, or not asked): Pilot Cedar.',
    );
    expect(report.verdict).toBe('not_ready');
    expect(report.content.conditions).toEqual(['people_readiness']);
  });

  it("changes the outcome with the rollout's own thresholds", async () => {
    const { id } = rollouts.falling;
    const defaults = await api.http
      .get(`/api/v1/rollouts/${id}/readiness-thresholds`)
      .set(auth())
      .expect(200);
    expect(defaults.body).toEqual({
      overrides: {},
      thresholds: {
        participationMin: 0.6,
        responseRateMin: 0.5,
        checkinRhythmMin: 0.75,
        aspirationalMin: 0.6,
        aspirationalMax: 0.85,
        committedMetMin: 0.8,
        adkarBarrier: 3,
        trendTolerance: 0,
        participantsPerCoachMax: 150,
        waveSizeFactor: 3,
      },
    });
    // A fall of 0.7 is within a tolerance of 1: the trend gate passes, and the report is ready.
    const set = await api.http
      .put(`/api/v1/rollouts/${id}/readiness-thresholds`)
      .set(bearer(coach.token))
      .send({ trendTolerance: 1 })
      .expect(200);
    expect(set.body.overrides).toEqual({ trendTolerance: 1 });
    expect(set.body.thresholds).toMatchObject({ trendTolerance: 1, checkinRhythmMin: 0.75 });
    const pilots = [goodA, { ...goodB, confidence: [7.5, 6.8] as [number, number] }];
    const report = await build(id);
    expectMatches(report, pilots, { trendTolerance: 1 });
    expect(report.verdict).toBe('ready');
    expect(gate(report, 'trend').thresholds).toEqual({ trendTolerance: 1 });

    // Fewer participants per coach than the next wave needs, and more waves' worth of growth: capacity fails.
    await api.http
      .put(`/api/v1/rollouts/${rollouts.ready.id}/readiness-thresholds`)
      .set(auth())
      .send({ participantsPerCoachMax: 20, waveSizeFactor: 2.5 })
      .expect(200);
    const tight = await build(rollouts.ready.id);
    expectMatches(tight, [goodA, goodB], { participantsPerCoachMax: 20, waveSizeFactor: 2.5 });
    expect(tight.verdict).toBe('ready_with_conditions');
    expect(tight.content.conditions).toEqual(['capacity']);
    expect(gate(tight, 'capacity').numbers).toMatchObject({ nextWaveSize: 30, coachesNeeded: 2 });

    // The coach says two coaches are available for the next wave: capacity passes again.
    await api.http
      .put(`/api/v1/rollouts/${rollouts.ready.id}/readiness-thresholds`)
      .set(auth())
      .send({ participantsPerCoachMax: 20, waveSizeFactor: 2.5, coachesAvailable: 2 })
      .expect(200);
    const staffed = await build(rollouts.ready.id);
    expect(staffed.verdict).toBe('ready');
    expect(gate(staffed, 'capacity').numbers).toEqual({
      nextWaveSize: 30,
      coachesAvailable: 2,
      coachesFrom: 'threshold',
      participantsPerCoach: 15,
      coachesNeeded: 2,
    });
  });

  it('refuses bad thresholds with 422 naming the field, and stores nothing', async () => {
    const { id } = rollouts.falling;
    const stored = async () =>
      (await api.db.query(`SELECT readiness_thresholds FROM rollout WHERE id = $1`, [id]))[0]
        .readiness_thresholds;
    const before = await stored();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ trendTolerance: 1, speedMin: 0.5 }, 'speedMin', /not a readiness threshold/],
      [{ checkinRhythmMin: 1.5 }, 'checkinRhythmMin', /between 0 and 1/],
      [{ responseRateMin: -0.1 }, 'responseRateMin', /between 0 and 1/],
      [{ participantsPerCoachMax: 12.5 }, 'participantsPerCoachMax', /whole number/],
      [{ adkarBarrier: '3' }, 'adkarBarrier', /must be a number/],
      [{ aspirationalMin: 0.9 }, 'aspirationalMin', /must be below aspirationalMax/],
    ];
    for (const [body, field, reason] of cases) {
      const res = await api.http.put(`/api/v1/rollouts/${id}/readiness-thresholds`).set(auth()).send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 422 });
      expect(res.body.errors).toEqual([{ field, reason: expect.stringMatching(reason) }]);
    }
    expect(await stored()).toEqual(before);
    const read = await api.http.get(`/api/v1/rollouts/${id}/readiness-thresholds`).set(auth()).expect(200);
    expect(read.body.overrides).toEqual({ trendTolerance: 1 });
    await api.http
      .put(`/api/v1/rollouts/${id}/readiness-thresholds`)
      .set(bearer(sponsor.token))
      .send({ trendTolerance: 2 })
      .expect(403);
  });

  it("records the sponsor's decision in the decisions and the audit log; coaches and other sponsors may not", async () => {
    const { id: rolloutId } = rollouts.ready;
    const report = (
      await api.http.get(`/api/v1/rollouts/${rolloutId}/readiness-report`).set(auth()).expect(200)
    ).body;
    expect(report.verdict).toBe('ready');
    const reason = 'Pilots met every gate; widen to the service units in 2027-Q3.';

    await api.http
      .post(`/api/v1/readiness-reports/${report.id}/decision`)
      .set(bearer(coach.token))
      .send({ decision: 'go', reason })
      .expect(403);
    await api.http
      .post(`/api/v1/readiness-reports/${report.id}/decision`)
      .set(bearer(otherSponsor.token))
      .send({ decision: 'go', reason })
      .expect(404);
    const bad = await api.http
      .post(`/api/v1/readiness-reports/${report.id}/decision`)
      .set(bearer(sponsor.token))
      .send({ decision: 'maybe', reason: 'x'.repeat(2001) })
      .expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['decision', 'reason']);
    await api.http
      .post(`/api/v1/readiness-reports/${report.id}/decision`)
      .set(bearer(sponsor.token))
      .send({ decision: 'go', reason: '   ' })
      .expect(422);

    const decided = await api.http
      .post(`/api/v1/readiness-reports/${report.id}/decision`)
      .set(bearer(sponsor.token))
      .send({ decision: 'go', reason })
      .expect(201);
    expect(decided.body).toEqual({
      id: expect.any(String),
      readinessReportId: report.id,
      decision: 'go',
      reason,
      decidedBy: { id: sponsor.id, name: 'A sponsor' },
      decidedAt: clock.now().toISOString(),
    });

    // Who, when, why: for the sponsor and the coach alike; another organization's sponsor sees nothing.
    for (const token of [sponsor.token, coach.token]) {
      const list = await api.http
        .get(`/api/v1/rollouts/${rolloutId}/decisions`)
        .set(bearer(token))
        .expect(200);
      expect(list.body).toMatchObject({ total: 1, items: [decided.body] });
    }
    await api.http.get(`/api/v1/rollouts/${rolloutId}/decisions`).set(bearer(otherSponsor.token)).expect(404);
    const again = await api.http
      .get(`/api/v1/readiness-reports/${report.id}`)
      .set(bearer(sponsor.token))
      .expect(200);
    expect(again.body.decision).toEqual(decided.body);

    const audit = await api.http
      .get('/api/v1/audit-log')
      .query({ action: 'rollout.decided' })
      .set(auth())
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actorId: sponsor.id,
        action: 'rollout.decided',
        entityType: 'rollout',
        entityId: rolloutId,
        details: expect.objectContaining({ decision: 'go', verdict: 'ready', reportId: report.id, reason }),
      }),
    ]);
    const [row] = await api.db.query(
      `SELECT decision, reason, decided_by_id, organization_id, workspace_id FROM rollout_decision WHERE id = $1`,
      [decided.body.id],
    );
    expect(row).toEqual({
      decision: 'go',
      reason,
      decided_by_id: sponsor.id,
      organization_id: organizationId,
      workspace_id: owner.id,
    });
    // A go marks the rollout widening, in the same transaction, by the sponsor's hand.
    const rollout = await api.http.get(`/api/v1/rollouts/${rolloutId}`).set(auth()).expect(200);
    expect(rollout.body.status).toBe('scaling');
    const widened = await api.http
      .get('/api/v1/audit-log')
      .query({ action: 'rollout.status_changed', entityId: rolloutId })
      .set(auth())
      .expect(200);
    expect(widened.body.items).toEqual([
      expect.objectContaining({
        actorId: sponsor.id,
        details: { from: 'planning', to: 'scaling', decision: 'go', decisionId: decided.body.id },
      }),
    ]);
  });

  it('fails every gate it has no learning report for, and takes no decision on a report not yet ready', async () => {
    const rollout = await createRollout(api.http, owner.token, organizationId);
    await createPilot(api.http, owner.token, rollout.id, { levels: ['board'] });
    const report = await build(rollout.id);
    expect(report.verdict).toBe('not_ready');
    expect(report.content.conditions).toEqual([
      'participation',
      'response_rate',
      'checkin_rhythm',
      'outcome_health',
      'people_readiness',
      'trend',
    ]);
    for (const key of report.content.conditions)
      expect(gate(report, key).summary).toBe(
        'No data: no pilot of this rollout has a ready learning report.',
      );
    expect(gate(report, 'capacity')).toMatchObject({ passed: true, numbers: { nextWaveSize: 0 } });

    const [queued] = await api.db.query(
      `INSERT INTO readiness_report (workspace_id, organization_id, rollout_id) VALUES ($1, $2, $3) RETURNING id`,
      [owner.id, organizationId, rollout.id],
    );
    const refused = await api.http
      .post(`/api/v1/readiness-reports/${queued.id}/decision`)
      .set(bearer(sponsor.token))
      .send({ decision: 'extend', reason: 'Too early to say.' })
      .expect(409);
    expect(refused.body.detail).toMatch(/needs a ready report; this one is queued/);
    expect(refused.body.reportStatus).toBe('queued');
    const latest = await api.http
      .get(`/api/v1/rollouts/${rollout.id}/readiness-report`)
      .set(auth())
      .expect(200);
    expect(latest.body).toMatchObject({ id: queued.id, status: 'queued', content: null });
  });
});
