import { startApi, TestApi } from './support/api';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  participantCsv,
  PASSWORD,
  signUp,
} from './support/fixtures';

/**
 * The foundation's main path on real Postgres and Redis: a coach logs in, sets up an organization, a
 * rollout and a pilot, imports 800 participants, and takes the pilot through four quarters.
 */
describe('a coach runs a pilot through four quarters', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('works end to end, refusing illegal transitions on the way', async () => {
    const { http } = api;
    const owner = await signUp(http);
    const coach = await addMember(http, owner, 'coach');

    const login = await http
      .post('/api/v1/auth/login')
      .send({ email: coach.email.toUpperCase(), password: PASSWORD })
      .expect(200);
    const auth = bearer(login.body.accessToken);
    await http
      .get('/api/v1/auth/me')
      .set(auth)
      .expect(200)
      .expect((res) => expect(res.body.role).toBe('coach'));

    const organization = await createOrganization(http, login.body.accessToken, {
      name: 'Kansaneläkelaitos',
      sector: 'public',
      headcount: 8000,
      defaultLocale: 'fi',
    });
    expect(organization.timeZone).toBe('Europe/Helsinki');
    const rollout = await createRollout(http, login.body.accessToken, organization.id);
    expect(rollout.status).toBe('planning');
    const pilot = await createPilot(http, login.body.accessToken, rollout.id, {
      name: 'Henkilöstöpilotti',
      levels: ['staff', 'management'],
      coachId: coach.id,
      charter: {
        scope: 'Etuuspalvelut',
        successCriteria: 'Tuloksia kahdessa neljänneksessä',
        decisionDate: '2027-12-15',
      },
      startQuarter: '2027-Q1',
    });
    expect(pilot.state).toBe('planned');

    // Quarters exist from the start, with calendar dates in the organization's time zone.
    const quarters = await http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(auth).expect(200);
    expect(quarters.body.map((q: { label: string }) => q.label)).toEqual([
      '2027-Q1',
      '2027-Q2',
      '2027-Q3',
      '2027-Q4',
    ]);
    expect(quarters.body[0]).toMatchObject({
      number: 1,
      startsOn: '2027-01-01',
      endsOn: '2027-03-31',
      state: 'upcoming',
    });
    expect(new Date(quarters.body[0].startsAt).toISOString()).toBe('2026-12-31T22:00:00.000Z');
    expect(new Date(quarters.body[1].startsAt).toISOString()).toBe('2027-03-31T21:00:00.000Z');

    // 800 participants, in three languages, from one CSV.
    const csv = participantCsv(800);
    const imported = await http
      .post(`/api/v1/pilots/${pilot.id}/participants/import`)
      .set(auth)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(imported.body).toEqual({
      rows: 800,
      created: 800,
      updated: 0,
      unchanged: 0,
      addedToPilot: 800,
      alreadyInPilot: 0,
    });
    const [{ count }] = await api.db.query(
      `SELECT count(*)::int AS count FROM pilot_membership m JOIN participant p ON p.id = m.participant_id WHERE m.pilot_id = $1`,
      [pilot.id],
    );
    expect(count).toBe(800);
    const byLocale = await api.db.query(
      `SELECT locale, count(*)::int AS n FROM participant GROUP BY locale ORDER BY locale`,
    );
    expect(byLocale).toEqual([
      { locale: 'en', n: 266 },
      { locale: 'fi', n: 267 },
      { locale: 'sv', n: 267 },
    ]);
    const [stored] = await api.db.query(`SELECT name FROM participant WHERE email = 'person6@example.fi'`);
    expect(stored.name).toBe('Åsa Hämäläinen');

    // The same file again changes nothing.
    const before = await api.db.query(`SELECT id, updated_at FROM participant ORDER BY id`);
    const again = await http
      .post(`/api/v1/pilots/${pilot.id}/participants/import`)
      .set(auth)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(again.body).toEqual({
      rows: 800,
      created: 0,
      updated: 0,
      unchanged: 800,
      addedToPilot: 0,
      alreadyInPilot: 800,
    });
    expect(await api.db.query(`SELECT id, updated_at FROM participant ORDER BY id`)).toEqual(before);

    const page = await http
      .get(`/api/v1/pilots/${pilot.id}/participants?limit=50&offset=750`)
      .set(auth)
      .expect(200);
    expect(page.body.total).toBe(800);
    expect(page.body.items).toHaveLength(50);

    // Illegal before start.
    for (const action of ['advance', 'review', 'graduate', 'extend']) {
      const res = await http.post(`/api/v1/pilots/${pilot.id}/${action}`).set(auth).send({}).expect(409);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toMatch(new RegExp(`planned pilot cannot ${action}; it can start, stop`));
    }

    const started = await http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    expect(started.body.state).toBe('running');
    expect(started.body.currentQuarter.label).toBe('2027-Q1');
    await http
      .get(`/api/v1/rollouts/${rollout.id}`)
      .set(auth)
      .expect(200)
      .expect((res) => expect(res.body.status).toBe('piloting'));
    await http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(409);
    await http.post(`/api/v1/pilots/${pilot.id}/graduate`).set(auth).expect(409);

    for (const label of ['2027-Q2', '2027-Q3', '2027-Q4']) {
      const res = await http.post(`/api/v1/pilots/${pilot.id}/advance`).set(auth).expect(200);
      expect(res.body.currentQuarter.label).toBe(label);
    }
    const beyond = await http.post(`/api/v1/pilots/${pilot.id}/advance`).set(auth).expect(409);
    expect(beyond.body.detail).toMatch(/last quarter/);

    const states = await http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(auth).expect(200);
    expect(states.body.map((q: { state: string }) => q.state)).toEqual([
      'closed',
      'closed',
      'closed',
      'active',
    ]);

    await http
      .post(`/api/v1/pilots/${pilot.id}/review`)
      .set(auth)
      .expect(200)
      .expect((res) => {
        expect(res.body.state).toBe('in_review');
        expect(res.body.currentQuarter).toBeNull();
      });
    await http.post(`/api/v1/pilots/${pilot.id}/advance`).set(auth).expect(409);

    // Extending adds quarters after the last one; advancing opens the first added quarter.
    const extended = await http
      .post(`/api/v1/pilots/${pilot.id}/extend`)
      .set(auth)
      .send({ quarters: 1 })
      .expect(200);
    expect(extended.body).toMatchObject({ state: 'extended', quarterCount: 5 });
    const resumed = await http.post(`/api/v1/pilots/${pilot.id}/advance`).set(auth).expect(200);
    expect(resumed.body).toMatchObject({ state: 'running', currentQuarter: { label: '2028-Q1', number: 5 } });
    await http.post(`/api/v1/pilots/${pilot.id}/review`).set(auth).expect(200);
    const graduated = await http.post(`/api/v1/pilots/${pilot.id}/graduate`).set(auth).expect(200);
    expect(graduated.body.state).toBe('graduated');
    for (const action of ['start', 'advance', 'review', 'graduate', 'extend', 'stop']) {
      const res = await http.post(`/api/v1/pilots/${pilot.id}/${action}`).set(auth).send({}).expect(409);
      expect(res.body.detail).toMatch(/has ended/);
    }

    // The owner reads who did what.
    const audit = await http.get('/api/v1/audit-log?limit=200').set(bearer(owner.token)).expect(200);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'pilot.start',
        'pilot.advance',
        'pilot.review',
        'pilot.extend',
        'pilot.graduate',
        'participants.imported',
      ]),
    );
    const startEvent = audit.body.items.find((e: { action: string }) => e.action === 'pilot.start');
    expect(startEvent).toMatchObject({ actorId: coach.id, entityType: 'pilot', entityId: pilot.id });
    await http.get('/api/v1/audit-log').set(auth).expect(403);
  });
});
