import { CheckInService, ManualClock, newToken } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  PASSWORD,
  signUp,
  Workspace,
} from './support/fixtures';

const DAY = 24 * 3600 * 1000;
const START = Date.UTC(2027, 0, 1); // 2027-Q1 starts at midnight UTC (the organization's time zone).
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

type Answer = { value?: number; done?: boolean; confidence: number };

/**
 * Two owners check in on some weeks and miss others; the practice signals of the quarter match what a
 * coach works out on paper. Then the quarter's objectives are carried into the next one.
 */
describe('practice signals and carry-over', () => {
  let api: TestApi;
  let owner: Workspace;
  const clock = new ManualClock(new Date(START + DAY / 2));

  beforeAll(async () => {
    api = await startApi({ clock });
    owner = await signUp(api.http);
  });
  afterAll(() => api.close());

  const login = async () =>
    bearer(
      (await api.http.post('/api/v1/auth/login').send({ email: owner.email, password: PASSWORD }).expect(200))
        .body.accessToken,
    );

  it('computes rhythm, confidence drops, no movement and scores, and carries objectives over', async () => {
    let auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['staff'],
      startQuarter: '2027-Q1',
    });
    const ids: Record<string, string> = {};
    for (const [key, email, name] of [
      ['aino', 'aino@example.fi', 'Aino Virtanen'],
      ['bjorn', 'bjorn@example.se', 'Björn Öhman'],
      ['emma', 'emma@example.co.uk', 'Emma Clarke'],
    ]) {
      ids[key] = (
        await api.http
          .post(`/api/v1/pilots/${pilot.id}/participants`)
          .set(auth)
          .send({ email, name, level: 'staff' })
          .expect(201)
      ).body.id;
    }
    await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const quarters = (await api.http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(auth).expect(200))
      .body as { id: string; number: number }[];
    const q1 = quarters.find((q) => q.number === 1)!.id;
    const q2 = quarters.find((q) => q.number === 2)!.id;

    // Aino owns two committed key results; Björn owns an objective with three aspirational ones; Emma none.
    const service = (
      await api.http
        .post(`/api/v1/quarters/${q1}/objectives`)
        .set(auth)
        .send({
          title: 'Asiakkaat saavat vastauksen nopeammin',
          keyResults: [
            {
              title: 'Median answer time from 12 to 4 days',
              measure: 'metric',
              start: 12,
              target: 4,
              ownerId: ids.aino,
            },
            { title: 'New answer templates in use', measure: 'milestone', ownerId: ids.aino },
          ],
        })
        .expect(201)
    ).body;
    const satisfaction = (
      await api.http
        .post(`/api/v1/quarters/${q1}/objectives`)
        .set(auth)
        .send({
          title: 'Kunderna är nöjdare',
          ownerId: ids.bjorn,
          keyResults: [
            {
              title: 'Satisfaction from 62 to 75',
              kind: 'aspirational',
              measure: 'metric',
              start: 62,
              target: 75,
            },
            { title: 'Survey published', kind: 'aspirational', measure: 'binary' },
            {
              title: 'Referrals from 0 to 10',
              kind: 'aspirational',
              measure: 'metric',
              start: 0,
              target: 10,
            },
          ],
        })
        .expect(201)
    ).body;
    const later = (
      await api.http.post(`/api/v1/quarters/${q1}/objectives`).set(auth).send({ title: 'Later' }).expect(201)
    ).body;
    const dropped = (
      await api.http
        .post(`/api/v1/quarters/${q1}/objectives`)
        .set(auth)
        .send({ title: 'Dropped' })
        .expect(201)
    ).body;
    const [time, templates] = service.keyResults.map((kr: { id: string }) => kr.id) as string[];
    const [csat, survey, referrals] = satisfaction.keyResults.map((kr: { id: string }) => kr.id) as string[];

    // Who answered what, by week. Aino misses weeks 3 and 6, Björn 1, 4, 5 and 6.
    const plan: { person: string; week: number; answers: Record<string, Answer> }[] = [
      {
        person: 'aino',
        week: 1,
        answers: { [time]: { value: 12, confidence: 8 }, [templates]: { done: false, confidence: 7 } },
      },
      {
        person: 'aino',
        week: 2,
        answers: { [time]: { value: 10, confidence: 8 }, [templates]: { done: false, confidence: 7 } },
      },
      {
        person: 'bjorn',
        week: 2,
        answers: {
          [csat]: { value: 62, confidence: 6 },
          [survey]: { done: false, confidence: 5 },
          [referrals]: { value: 3, confidence: 5 },
        },
      },
      {
        person: 'bjorn',
        week: 3,
        answers: {
          [csat]: { value: 62, confidence: 4 },
          [survey]: { done: true, confidence: 9 },
          [referrals]: { value: 5, confidence: 1 },
        },
      },
      {
        person: 'aino',
        week: 4,
        answers: { [time]: { value: 8, confidence: 4 }, [templates]: { done: false, confidence: 7 } },
      },
      {
        person: 'aino',
        week: 5,
        answers: { [time]: { value: 4, confidence: 5 }, [templates]: { done: false, confidence: 3 } },
      },
    ];
    const checkIns = api.app.get(CheckInService);
    for (const { person, week, answers } of plan) {
      clock.set(new Date(START + (week - 1) * 7 * DAY + DAY + 9 * 3600 * 1000));
      const { token, hash } = newToken('c');
      await api.db.query(
        `INSERT INTO check_in_token (token_hash, workspace_id, quarter_id, participant_id, week, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [hash, owner.id, q1, ids[person], week, new Date(START + week * 7 * DAY + 3 * DAY)],
      );
      const values: Record<string, string> = {};
      for (const [id, answer] of Object.entries(answers)) {
        if (answer.value !== undefined) values[`value.${id}`] = String(answer.value);
        if (answer.done !== undefined) values[`done.${id}`] = answer.done ? 'yes' : 'no';
        values[`confidence.${id}`] = String(answer.confidence);
      }
      const result = await checkIns.submit(token, values);
      expect(result.status).toBe('saved');
    }

    // Week 6 of the quarter; the quarter-end scores are in (Aino's answer-time result stays unscored).
    clock.set(new Date(START + 5 * 7 * DAY + 2 * DAY + DAY / 2));
    auth = await login();
    const scores: Record<string, number> = { [templates]: 0.5, [csat]: 0.6, [survey]: 1, [referrals]: 0.45 };
    for (const [id, score] of Object.entries(scores))
      await api.http.post(`/api/v1/key-results/${id}/score`).set(auth).send({ score }).expect(200);

    // What the cadence recorded: the kickoff prompt in week 1, check-in requests in weeks 2–5, and week 6's
    // request skipped.
    const dispatched: [string, string, number, string | null][] = [
      ['kickoff', 'prompt', 1, null],
      ...[2, 3, 4, 5].map((w): [string, string, number, null] => [
        `checkin-w${w}`,
        'checkin_request',
        w,
        null,
      ]),
      ['checkin-w6', 'checkin_request', 6, 'the day passed before the quarter was activated'],
    ];
    for (const [key, kind, week, skipped] of dispatched)
      await api.db.query(
        `INSERT INTO cadence_dispatch (workspace_id, quarter_id, step_key, kind, step_date, skipped_reason)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [owner.id, q1, key, kind, new Date(START + (week - 1) * 7 * DAY).toISOString().slice(0, 10), skipped],
      );

    const signals = (await api.http.get(`/api/v1/quarters/${q1}/practice-signals`).set(auth).expect(200))
      .body;

    // Rhythm, on paper: a week is due when its check-in request went out. Requests went out in weeks 2–5;
    // week 6's was skipped, and week 1 had only the kickoff prompt (Aino's week-1 answer counts for nothing).
    const requestedWeeks = [2, 3, 4, 5];
    const answeredDue = (person: string) =>
      new Set(plan.filter((p) => p.person === person && requestedWeeks.includes(p.week)).map((p) => p.week))
        .size;
    const people = ['aino', 'bjorn'].map((person) => ({
      participantId: ids[person],
      due: requestedWeeks.length,
      done: answeredDue(person),
      share: round4(answeredDue(person) / requestedWeeks.length),
    }));
    expect(people.map((p) => p.done)).toEqual([3, 2]);
    expect(signals).toMatchObject({ quarterId: q1, pilotId: pilot.id, currentWeek: 6, weeksInQuarter: 13 });
    expect(signals.rhythm).toEqual({
      due: 2 * requestedWeeks.length,
      done: 5,
      share: round4(5 / (2 * requestedWeeks.length)),
      people: [...people].sort((a, b) => a.participantId.localeCompare(b.participantId)),
    });

    // Trajectories: every recorded week in order; drops of 3 or more between recorded weeks.
    const trajectory = (id: string) =>
      plan
        .filter((p) => p.answers[id])
        .map((p) => ({ week: p.week, confidence: p.answers[id].confidence }))
        .sort((a, b) => a.week - b.week);
    const all = [time, templates, csat, survey, referrals];
    expect(signals.confidence.map((t: { keyResultId: string }) => t.keyResultId)).toEqual(all);
    for (const t of signals.confidence) expect(t.weeks).toEqual(trajectory(t.keyResultId));
    expect(trajectory(time)).toEqual([
      { week: 1, confidence: 8 },
      { week: 2, confidence: 8 },
      { week: 4, confidence: 4 },
      { week: 5, confidence: 5 },
    ]);
    const drops = all
      .flatMap((id) =>
        trajectory(id)
          .slice(1)
          .map((point, i, rest) => {
            const before = i === 0 ? trajectory(id)[0] : rest[i - 1];
            return {
              keyResultId: id,
              fromWeek: before.week,
              toWeek: point.week,
              from: before.confidence,
              to: point.confidence,
              drop: before.confidence - point.confidence,
            };
          }),
      )
      .filter((d) => d.drop >= 3)
      .sort((a, b) => a.toWeek - b.toWeek || a.keyResultId.localeCompare(b.keyResultId));
    expect(drops.map((d) => [d.keyResultId, d.fromWeek, d.toWeek])).toEqual([
      [referrals, 2, 3],
      [time, 2, 4],
      [templates, 4, 5],
    ]);
    expect(signals.confidenceDrops).toEqual(drops);

    // No movement: the milestone never done, the satisfaction metric always at its start value 62.
    expect(signals.noMovement).toEqual([
      { keyResultId: templates, objectiveId: service.id, title: 'New answer templates in use', checkIns: 4 },
      { keyResultId: csat, objectiveId: satisfaction.id, title: 'Satisfaction from 62 to 75', checkIns: 2 },
    ]);

    // Committed: answer time reached its target unscored (met); templates scored 0.5 (not met).
    expect(signals.committed).toEqual({ total: 2, met: 1, share: 0.5 });
    const aspirational = [scores[csat], scores[survey], scores[referrals]];
    const average = mean(aspirational);
    const spread = Math.sqrt(mean(aspirational.map((s) => (s - average) ** 2)));
    expect(signals.aspirational).toEqual({ scored: 3, average: round4(average), spread: round4(spread) });
    expect(signals.aspirational.average).toBe(0.6833);

    // Carry-over into quarter 2: every objective needs exactly one decision.
    const decisions = [
      { objectiveId: service.id, action: 'keep' },
      { objectiveId: satisfaction.id, action: 'modify', title: 'Kunderna är ännu nöjdare' },
      { objectiveId: later.id, action: 'defer' },
      { objectiveId: dropped.id, action: 'abandon' },
    ];
    const q2Objectives = async () =>
      (await api.http.get(`/api/v1/quarters/${q2}/objectives`).set(auth).expect(200)).body.items;
    const audited = async () =>
      (
        await api.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE workspace_id = $1`, [owner.id])
      )[0].n as number;
    const missing = await api.http
      .post(`/api/v1/quarters/${q1}/carry-over`)
      .set(auth)
      .send({ decisions: decisions.slice(0, 3) })
      .expect(422);
    expect(missing.body.errors).toEqual([
      { field: 'decisions', reason: `no decision for objective ${dropped.id}` },
    ]);
    const twice = await api.http
      .post(`/api/v1/quarters/${q1}/carry-over`)
      .set(auth)
      .send({ decisions: [...decisions, { objectiveId: later.id, action: 'keep' }] })
      .expect(422);
    expect(twice.body.errors).toEqual([
      { field: 'decisions[4].objectiveId', reason: `duplicate decision for ${later.id}` },
    ]);
    expect(await q2Objectives()).toEqual([]);

    const carried = await api.http
      .post(`/api/v1/quarters/${q1}/carry-over`)
      .set(auth)
      .send({ decisions })
      .expect(200);
    expect(carried.body).toMatchObject({ fromQuarterId: q1, toQuarterId: q2 });
    expect(
      carried.body.outcomes.map((o: { action: string; changed: boolean }) => [o.action, o.changed]),
    ).toEqual([
      ['keep', true],
      ['modify', true],
      ['defer', true],
      ['abandon', true],
    ]);
    const next = await q2Objectives();
    expect(next).toHaveLength(2);
    expect(next[0]).toMatchObject({ title: service.title, carriedFromId: service.id, finalScore: null });
    expect(next[1]).toMatchObject({
      title: 'Kunderna är ännu nöjdare',
      carriedFromId: satisfaction.id,
      ownerId: ids.bjorn,
    });
    expect(next.map((o: { id: string }) => o.id)).toEqual(
      carried.body.outcomes.slice(0, 2).map((o: { carriedObjectiveId: string }) => o.carriedObjectiveId),
    );
    const copiedKrs = next.flatMap((o: { keyResults: object[] }) => o.keyResults);
    expect(copiedKrs).toHaveLength(5);
    for (const kr of copiedKrs)
      expect(kr).toMatchObject({
        quarterId: q2,
        current: null,
        done: false,
        confidence: null,
        finalScore: null,
        progress: 0,
      });
    expect(next[0].keyResults[0]).toMatchObject({
      title: 'Median answer time from 12 to 4 days',
      start: 12,
      target: 4,
      ownerId: ids.aino,
    });
    const decided = await api.db.query(
      `SELECT action, entity_id FROM audit_event WHERE workspace_id = $1 AND action IN ('objective.deferred', 'objective.abandoned') ORDER BY action`,
      [owner.id],
    );
    expect(decided).toEqual([
      { action: 'objective.abandoned', entity_id: dropped.id },
      { action: 'objective.deferred', entity_id: later.id },
    ]);

    // The same decisions again change nothing.
    const events = await audited();
    const again = await api.http
      .post(`/api/v1/quarters/${q1}/carry-over`)
      .set(auth)
      .send({ decisions })
      .expect(200);
    expect(again.body.outcomes).toEqual(carried.body.outcomes.map((o: object) => ({ ...o, changed: false })));
    expect(await q2Objectives()).toEqual(next);
    expect(await audited()).toBe(events);
  });
});
