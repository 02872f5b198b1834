import { DateTime } from 'luxon';
import { DEFAULT_CADENCE, ManualClock, type PortfolioPilot } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  participantCsv,
  signUp,
  Workspace,
} from './support/fixtures';
import { learningContent } from './support/report-content';

const WEEK_MS = 7 * 24 * 3600 * 1000;

interface Quarter {
  id: string;
  label: string;
  state: string;
  startsOn: string;
  endsOn: string;
  startsAt: string;
  endsAt: string;
}

/**
 * A consultant's morning: two client organizations coached by one coach, a third coached by someone
 * else, and another workspace altogether. Every expected number is worked out here from what the test
 * itself put in.
 */
describe('the coach portfolio', () => {
  let api: TestApi;
  // Wednesday of the third week of 2027-Q1, noon in Helsinki.
  const clock = new ManualClock(new Date('2027-01-20T10:00:00Z'));
  let owner: Workspace;
  let other: Workspace;
  let coach: { id: string; token: string };
  let colleague: { id: string; token: string };
  let sponsor: { id: string; token: string };
  const org: Record<string, { id: string; name: string }> = {};
  const pilot: Record<string, string> = {};
  const quarters: Record<string, Quarter[]> = {};

  const auth = () => bearer(owner.token);

  async function newPilot(
    key: string,
    organization: string,
    coachId: string | null,
    levels = ['staff', 'management'],
  ) {
    const rollout = await createRollout(api.http, owner.token, org[organization].id);
    const created = await createPilot(api.http, owner.token, rollout.id, {
      name: `Pilot ${key}`,
      coachId,
      levels,
    });
    pilot[key] = created.id;
    const res = await api.http.get(`/api/v1/pilots/${created.id}/quarters`).set(auth()).expect(200);
    quarters[key] = res.body;
  }

  async function withParticipants(key: string, n: number) {
    await api.http
      .post(`/api/v1/pilots/${pilot[key]}/participants/import`)
      .set(auth())
      .set('Content-Type', 'text/csv')
      .send(participantCsv(n, { domain: `${key.toLowerCase()}.example` }))
      .expect(200);
  }

  const act = (key: string, action: string) =>
    api.http.post(`/api/v1/pilots/${pilot[key]}/${action}`).set(auth()).send({}).expect(200);

  /** Opens the retrospective of the pilot's first quarter; `answered` of its invitations are used. */
  async function retrospective(key: string, answered: number) {
    await api.http
      .post(`/api/v1/quarters/${quarters[key][0].id}/retrospectives`)
      .set(auth())
      .send({ anonymity: 'confidential' })
      .expect(201);
    await api.db.query(
      `UPDATE invitation SET used = true WHERE id IN (
         SELECT i.id FROM invitation i JOIN retrospective r ON r.id = i.retrospective_id
         WHERE r.quarter_id = $1 ORDER BY i.id LIMIT $2)`,
      [quarters[key][0].id, answered],
    );
  }

  const portfolio = async (token: string) =>
    (await api.http.get('/api/v1/portfolio').set(bearer(token)).expect(200)).body as {
      order: string;
      items: PortfolioPilot[];
    };

  beforeAll(async () => {
    api = await startApi({ clock });
    owner = await signUp(api.http, 'Pohjola Consulting');
    other = await signUp(api.http, 'Other Consulting');
    coach = await addMember(api.http, owner, 'coach');
    colleague = await addMember(api.http, owner, 'coach');
    for (const [key, name] of [
      ['one', 'Kaupunki Yksi'],
      ['two', 'Yhdistys Kaksi'],
      ['three', 'Yritys Kolme'],
    ])
      org[key] = await createOrganization(api.http, owner.token, { name, defaultLocale: 'fi' });
    sponsor = await addMember(api.http, owner, 'sponsor', [org.one.id]);

    // Organization one: P1 (the coach's; failed mail, low rates) and P1b (nobody's; a report due).
    await newPilot('P1', 'one', coach.id);
    await newPilot('P1b', 'one', null);
    // Organization two: P2 (flags from its latest report) and P2b (a low response rate).
    await newPilot('P2', 'two', coach.id);
    await newPilot('P2b', 'two', coach.id);
    // Organization three is the colleague's alone.
    await newPilot('P3', 'three', colleague.id);

    await withParticipants('P1', 10);
    await act('P1', 'start');
    await retrospective('P1', 3);
    // Two of P1's mails failed for good.
    await api.db.query(
      `UPDATE outbox_message SET status = 'failed', last_error = '550 no such user' WHERE id IN (
         SELECT id FROM outbox_message WHERE quarter_id = $1 ORDER BY id LIMIT 2)`,
      [quarters.P1[0].id],
    );
    // Check-ins: requests went out in weeks 1–3; of two owners, one checked in every week, one once.
    const q1 = quarters.P1[0];
    for (const week of [1, 2, 3])
      await api.db.query(
        `INSERT INTO cadence_dispatch (workspace_id, quarter_id, step_key, kind, step_date, recipients)
         VALUES ($1, $2, $3, 'checkin_request', $4::date + $5::int, 10)`,
        [owner.id, q1.id, `checkin-w${week}`, q1.startsOn, (week - 1) * 7],
      );
    const people = await api.http.get(`/api/v1/pilots/${pilot.P1}/participants`).set(auth()).expect(200);
    const [first, second] = (people.body.items ?? people.body) as { id: string }[];
    const objective = await api.http
      .post(`/api/v1/quarters/${q1.id}/objectives`)
      .set(auth())
      .send({
        title: 'Palvelu paranee',
        keyResults: [
          { title: 'KR A', measure: 'binary', ownerId: first.id },
          { title: 'KR B', measure: 'binary', ownerId: second.id },
        ],
      })
      .expect(201);
    const [krA, krB] = objective.body.keyResults as { id: string }[];
    for (const [kr, who, week] of [
      [krA.id, first.id, 1],
      [krA.id, first.id, 2],
      [krA.id, first.id, 3],
      [krB.id, second.id, 1],
    ] as const)
      await api.db.query(
        `INSERT INTO check_in (workspace_id, organization_id, quarter_id, key_result_id, participant_id, week, confidence, recorded_on)
         VALUES ($1, $2, $3, $4, $5, $6, 7, $7::date + $6::int * 7 - 3)`,
        [owner.id, org.one.id, q1.id, kr, who, week, q1.startsOn],
      );

    await act('P1b', 'start');
    await act('P1b', 'advance');

    await act('P2', 'start');
    await act('P2', 'advance');
    // Stored as the builder stores it: the build time is the row's built_at, not part of the content.
    const { builtAt: _builtAt, ...stored } = learningContent({
      organizationId: org.two.id,
      pilotId: pilot.P2,
      quarterId: quarters.P2[0].id,
    });
    await api.db.query(
      `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, progress, content, requested_at, built_at)
       VALUES ($1, $2, $3, $4, 'ready', 100, $5, $6, $6)`,
      [owner.id, org.two.id, pilot.P2, quarters.P2[0].id, stored, clock.now()],
    );

    await withParticipants('P2b', 5);
    await act('P2b', 'start');
    await retrospective('P2b', 1);

    // Another workspace, with a failing pilot of its own: it must never show.
    const foreign = await createOrganization(api.http, other.token, { name: 'Vieras Oy' });
    const foreignRollout = await createRollout(api.http, other.token, foreign.id);
    const foreignPilot = await createPilot(api.http, other.token, foreignRollout.id, {
      name: 'Vieras pilotti',
    });
    pilot.foreign = foreignPilot.id;
  });
  afterAll(() => api.close());

  it("shows a coach both organizations' pilots, what needs them first, and nothing of anyone else", async () => {
    const { items, order } = await portfolio(coach.token);
    expect(order).toMatch(/^What needs the coach first/);
    expect(items.map((i) => i.pilot.name)).toEqual(['Pilot P1', 'Pilot P2', 'Pilot P1b', 'Pilot P2b']);
    expect(new Set(items.map((i) => i.organization.name))).toEqual(
      new Set(['Kaupunki Yksi', 'Yhdistys Kaksi']),
    );
    expect(items.map((i) => i.attention)).toEqual([
      ['failed_deliveries', 'low_response_rate', 'low_checkin_rhythm'],
      ['flags'],
      ['reports_due'],
      ['low_response_rate'],
    ]);
    expect(items.map((i) => i.pilot.mine)).toEqual([true, true, false, true]);
    expect(JSON.stringify(items)).not.toMatch(/Yritys Kolme|Pilot P3|Vieras/);

    // P1: week, rates, failures and the next sends, each worked out from what was put in.
    const p1 = items[0];
    const q1 = quarters.P1[0];
    const week = Math.floor((clock.now().getTime() - new Date(q1.startsAt).getTime()) / WEEK_MS) + 1;
    expect(p1.quarter).toMatchObject({
      id: q1.id,
      label: '2027-Q1',
      state: 'active',
      week,
      weeksInQuarter: 13,
    });
    expect(week).toBe(3);
    expect(p1.responseRate).toEqual({ invited: 10, responded: 3, rate: 0.3 });
    expect(p1.checkInRhythm).toEqual({ due: 6, done: 4, share: Math.round((4 / 6) * 10_000) / 10_000 });
    const signals = await api.http.get(`/api/v1/quarters/${q1.id}/practice-signals`).set(auth()).expect(200);
    expect(p1.checkInRhythm).toEqual({
      due: signals.body.rhythm.due,
      done: signals.body.rhythm.done,
      share: signals.body.rhythm.share,
    });
    expect(p1.failedDeliveries).toBe(2);

    const dispatched = new Set(
      (await api.db.query(`SELECT step_key FROM cadence_dispatch WHERE quarter_id = $1`, [q1.id])).map(
        (r: { step_key: string }) => r.step_key,
      ),
    );
    const today = DateTime.fromJSDate(clock.now(), { zone: 'Europe/Helsinki' }).toISODate()!;
    const expected = DEFAULT_CADENCE.map((step) => ({
      key: step.key,
      date: DateTime.fromISO(step.anchor === 'start' ? q1.startsOn : q1.endsOn)
        .plus({ days: step.offsetDays })
        .toISODate()!,
      sendTime: step.sendTime,
    }))
      .filter((step) => !dispatched.has(step.key) && step.date >= today)
      .sort(
        (a, b) =>
          a.date.localeCompare(b.date) || a.sendTime.localeCompare(b.sendTime) || a.key.localeCompare(b.key),
      )
      .slice(0, 3);
    expect(p1.nextSends.map(({ key, date, sendTime }) => ({ key, date, sendTime }))).toEqual(expected);
    expect(expected[0]).toEqual({ key: 'checkin-w4', date: '2027-01-22', sendTime: '09:00' });

    // P2: its latest ready report's flags, nothing due; P1b: its closed first quarter is due.
    const p2 = items[1];
    expect(p2.flags.map((f) => f.code)).toEqual(learningContent().flags.map((f) => f.code));
    expect(p2.reports.due).toEqual([]);
    expect(p2.reports.ready).toMatchObject({
      quarterId: quarters.P2[0].id,
      quarterLabel: '2027-Q1',
      builtAt: clock.now().toISOString(),
    });
    expect(p2.quarter).toMatchObject({ label: '2027-Q2', state: 'active', week: 0 });
    const p1b = items[2];
    expect(p1b.pilot.coach).toBeNull();
    expect(p1b.reports).toEqual({
      due: [{ quarterId: quarters.P1b[0].id, quarterLabel: '2027-Q1', status: 'missing' }],
      ready: null,
    });
    expect(items[3].responseRate).toEqual({ invited: 5, responded: 1, rate: 0.2 });
    expect(items[3].nextSends.length).toBe(3);
  });

  it('shows an owner the whole workspace, another workspace only its own, and refuses sponsors', async () => {
    const all = await portfolio(owner.token);
    expect(all.items.map((i) => i.pilot.name)).toEqual([
      'Pilot P1',
      'Pilot P2',
      'Pilot P1b',
      'Pilot P2b',
      'Pilot P3',
    ]);
    expect(all.items[4].attention).toEqual([]);

    const foreign = await portfolio(other.token);
    expect(foreign.items.map((i) => i.pilot.id)).toEqual([pilot.foreign]);
    expect(JSON.stringify(foreign)).not.toMatch(/Kaupunki Yksi|Yhdistys Kaksi|Yritys Kolme|Pilot P/);

    await api.http.get('/api/v1/portfolio').set(bearer(sponsor.token)).expect(403);
    await api.http.get('/api/v1/portfolio.html').set(bearer(sponsor.token)).expect(403);
    await api.http.get('/api/v1/portfolio').expect(401);
  });

  it('is a page too, in the same order', async () => {
    const res = await api.http
      .get('/api/v1/portfolio.html')
      .set(bearer(coach.token))
      .expect(200)
      .expect('Content-Type', /^text\/html/);
    const html = res.text;
    expect(html).not.toMatch(/<script/i);
    const positions = ['Pilot P1<', 'Pilot P2<', 'Pilot P1b<', 'Pilot P2b<'].map((name) =>
      html.indexOf(name),
    );
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(html).toContain('Needs: failed deliveries, low response rate, low check-in rhythm');
    expect(html).toContain('30.0% (3 of 10)');
    expect(html).not.toMatch(/Yritys Kolme|Vieras/);
  });
});
