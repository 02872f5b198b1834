import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  PASSWORD,
  signUp,
  Workspace,
} from './support/fixtures';
import { ReceivedMail, startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const DAY = 24 * 3600 * 1000;

/** A mail as it arrived: to whom, on which test day, and which step of which quarter it was. */
interface Arrival {
  to: string;
  day: string;
  quarterId: string;
  step: string;
}

/** The step of a mail from its natural key (`{quarter}.{step}.p{participant}` / `.m{member}`). */
function arrivalOf(mail: ReceivedMail, day: string): Arrival {
  const [quarterId, step] = mail.header('x-luotsi-message')!.split('.');
  return { to: mail.to, day, quarterId, step };
}

/**
 * Quarters that move themselves, on the test clock, with the real worker and a real SMTP server: a
 * pilot started late in its first quarter; an organization with a July holiday, whose pilot moves on
 * to its next quarter on 1 July by itself and hears nothing until 1 August; and a pilot that waits for
 * its coach's review at the quarter's end.
 */
describe('quarters that move themselves', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-06-28T12:00:00Z'));
  const arrivals: Arrival[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const env = { SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://luotsi.test' };
    api = await startApi({ clock, env });
    worker = await startWorker({ ...api.env, ...env }, clock);
    owner = await signUp(api.http);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  /** One beat of the worker (everything queued sent), and what arrived, dated by the test clock. */
  const tick = async () => {
    const seen = smtp.received.length;
    await worker.tickAndDrain();
    const day = clock.now().toISOString().slice(0, 10);
    for (const mail of smtp.received.slice(seen)) arrivals.push(arrivalOf(mail, day));
  };

  const addPeople = async (pilotId: string, people: { email: string; name: string; locale: string }[]) => {
    for (const person of people)
      await api.http
        .post(`/api/v1/pilots/${pilotId}/participants`)
        .set(bearer(owner.token))
        .send({ ...person, timeZone: 'Europe/Helsinki', level: 'staff' })
        .expect(201);
  };

  /** A fresh token: the test clock runs past a token's lifetime. */
  const signIn = async (email: string) =>
    bearer(
      (await api.http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200)).body
        .accessToken,
    );

  const quartersOf = async (pilotId: string) =>
    (await api.http.get(`/api/v1/pilots/${pilotId}/quarters`).set(bearer(owner.token)).expect(200)).body as {
      id: string;
      label: string;
      state: string;
      startsOn: string;
      endsOn: string;
    }[];

  it('moves a quarter on at its end by itself, keeps July quiet, and waits for a review where asked', async () => {
    const auth = bearer(owner.token);
    // An organization with the July holiday, and one without quiet periods.
    const holiday = await createOrganization(api.http, owner.token, {
      defaultLocale: 'fi',
      timeZone: 'Europe/Helsinki',
      quietPeriods: [{ start: '07-01', end: '07-31', label: 'Kesäloma' }],
    });
    const plain = await createOrganization(api.http, owner.token, { timeZone: 'Europe/Helsinki' });
    const coachA = await addMember(api.http, owner, 'coach');
    const coachB = await addMember(api.http, owner, 'coach');

    const pilotA = await createPilot(
      api.http,
      owner.token,
      (await createRollout(api.http, owner.token, holiday.id)).id,
      { coachId: coachA.id, levels: ['staff'], startQuarter: '2027-Q2', quarterCount: 2 },
    );
    const pilotB = await createPilot(
      api.http,
      owner.token,
      (await createRollout(api.http, owner.token, plain.id)).id,
      {
        coachId: coachB.id,
        levels: ['staff'],
        startQuarter: '2027-Q2',
        quarterCount: 2,
        waitForReview: true,
      },
    );
    expect((await api.http.get(`/api/v1/pilots/${pilotB.id}`).set(auth).expect(200)).body.waitForReview).toBe(
      true,
    );
    await addPeople(pilotA.id, [
      { email: 'aino@example.fi', name: 'Aino Virtanen', locale: 'fi' },
      { email: 'emma@example.co.uk', name: 'Emma Clarke', locale: 'en' },
    ]);
    await addPeople(pilotB.id, [{ email: 'asa@example.se', name: 'Åsa Lindqvist', locale: 'sv' }]);

    // Both start on 28 June, three months into their first quarter (2027-Q2, April to June).
    for (const pilot of [pilotA, pilotB])
      await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const [a2, a3] = await quartersOf(pilotA.id);
    const [b2, b3] = await quartersOf(pilotB.id);
    expect([a2.label, a3.label, b2.label, b3.label]).toEqual(['2027-Q2', '2027-Q3', '2027-Q2', '2027-Q3']);

    // Noon UTC (15:00 in Helsinki) each day from 28 June to 10 August.
    const portfolioOnJuly1: Record<string, unknown>[] = [];
    for (let day = 0; day < 44; day++) {
      await tick();
      const today = clock.now().toISOString().slice(0, 10);
      if (today === '2027-07-01') {
        const auth = await signIn(owner.email);
        // Pilot A moved on by itself; pilot B waits, and the coach's portfolio says so.
        expect(
          (await api.http.get(`/api/v1/pilots/${pilotA.id}`).set(auth).expect(200)).body.currentQuarter,
        ).toMatchObject({ id: a3.id, label: '2027-Q3', state: 'active' });
        expect(
          (await api.http.get(`/api/v1/pilots/${pilotB.id}`).set(auth).expect(200)).body.currentQuarter,
        ).toMatchObject({ id: b2.id, label: '2027-Q2', state: 'active' });
        const portfolio = await api.http.get('/api/v1/portfolio').set(auth).expect(200);
        portfolioOnJuly1.push(...portfolio.body.items);
      }
      if (today === '2027-07-03') {
        // Still waiting after three beats; the coach lets it move on by itself.
        owner.token = (await signIn(owner.email)).Authorization.slice('Bearer '.length);
        expect((await quartersOf(pilotB.id)).map((q) => q.state)).toEqual(['active', 'upcoming']);
        await api.http
          .patch(`/api/v1/pilots/${pilotB.id}`)
          .set(await signIn(coachB.email))
          .send({ waitForReview: false })
          .expect(200);
      }
      clock.advance(DAY);
    }

    const byPilot = Object.fromEntries(
      portfolioOnJuly1.map((item) => {
        const { pilot, attention } = item as {
          pilot: { id: string; waitingForReview: boolean };
          attention: string[];
        };
        return [pilot.id, { waiting: pilot.waitingForReview, attention }];
      }),
    );
    expect(byPilot[pilotB.id]).toEqual({ waiting: true, attention: ['waiting_for_review'] });
    expect(byPilot[pilotA.id].waiting).toBe(false);
    expect(byPilot[pilotA.id].attention).not.toContain('waiting_for_review');

    const mailsTo = (email: string) =>
      arrivals.filter((m) => m.to === email).map(({ day, quarterId, step }) => [day, quarterId, step]);

    // Pilot A, by hand from the default plan: started late on 28 June, only Q2's kickoff, that day
    // (its check-ins, mid-quarter prompt and retrospective days had passed). Q3 starts 1 July, in the
    // quiet period: its kickoff (1 July) and the latest of its July check-ins (week 5, 29 July) arrive
    // on 1 August, once; then week 6 on 5 August and the mid-quarter prompt (day 37) on 7 August.
    const expectedA = [
      ['2027-06-28', a2.id, 'kickoff'],
      ['2027-08-01', a3.id, 'checkin-w5'],
      ['2027-08-01', a3.id, 'kickoff'],
      ['2027-08-05', a3.id, 'checkin-w6'],
      ['2027-08-07', a3.id, 'midquarter'],
    ];
    const sorted = (rows: string[][]) => [...rows].sort((x, y) => x.join().localeCompare(y.join()));
    for (const email of ['aino@example.fi', 'emma@example.co.uk'])
      expect(sorted(mailsTo(email))).toEqual(sorted(expectedA));
    expect(
      arrivals
        .filter((m) => m.day.startsWith('2027-07') && m.to !== coachA.email && m.to !== coachB.email)
        .filter((m) => m.quarterId === a2.id || m.quarterId === a3.id),
    ).toEqual([]);
    // The check-ins of weeks 2–4 were skipped for the quiet period, not sent.
    const dispatches = await api.db.query(
      `SELECT step_key AS key, to_char(step_date, 'YYYY-MM-DD') AS day, skipped_reason AS reason
       FROM cadence_dispatch WHERE quarter_id = $1 AND step_key LIKE 'checkin-w%' ORDER BY step_key`,
      [a3.id],
    );
    expect(dispatches).toEqual([
      { key: 'checkin-w2', day: '2027-08-01', reason: 'quiet period' },
      { key: 'checkin-w3', day: '2027-08-01', reason: 'quiet period' },
      { key: 'checkin-w4', day: '2027-08-01', reason: 'quiet period' },
      { key: 'checkin-w5', day: '2027-08-01', reason: null },
      { key: 'checkin-w6', day: '2027-08-05', reason: null },
    ]);
    // The move is audited as the system's, not a member's.
    const audit = await api.db.query(
      `SELECT actor_id AS "actorId", details FROM audit_event
       WHERE entity_id = $1 AND action = 'pilot.advance'`,
      [pilotA.id],
    );
    expect(audit).toEqual([
      {
        actorId: null,
        details: { from: 'running', to: 'running', automatic: true, closed: '2027-Q2', quarter: '2027-Q3' },
      },
    ]);

    // Pilot B waited from 1 July until its coach turned waiting off after the beat of 3 July; it moved
    // on at the next beat (4 July), its Q3 kickoff went that day and its check-ins from the next week.
    expect(sorted(mailsTo('asa@example.se'))).toEqual(
      sorted([
        ['2027-06-28', b2.id, 'kickoff'],
        ['2027-07-04', b3.id, 'kickoff'],
        ['2027-07-08', b3.id, 'checkin-w2'],
        ['2027-07-15', b3.id, 'checkin-w3'],
        ['2027-07-22', b3.id, 'checkin-w4'],
        ['2027-07-29', b3.id, 'checkin-w5'],
        ['2027-08-05', b3.id, 'checkin-w6'],
        ['2027-08-07', b3.id, 'midquarter'],
      ]),
    );
    // One reminder to the coach, on the first day of waiting, in the organization's language.
    const reminders = arrivals.filter((m) => m.step === 'review-reminder');
    expect(reminders).toEqual([
      { to: coachB.email, day: '2027-07-01', quarterId: b2.id, step: 'review-reminder' },
    ]);
    const reminder = smtp.received.find((m) => m.header('x-luotsi-message')?.includes('.review-reminder.'))!;
    expect(reminder.subject).toContain('Pilotti odottaa katselmointia');
    expect(reminder.text.replace(/\s+/g, ' ')).toContain('2027-Q2');
  }, 180_000);

  it("follows an organization's fiscal year, and refuses a quiet period that is no day", async () => {
    const auth = await signIn(owner.email);
    owner.token = auth.Authorization.slice('Bearer '.length);
    // A fiscal year from July, named after the year it ends in: FY2027 is July 2026 to June 2027.
    const fiscal = await createOrganization(api.http, owner.token, { fiscalYearStartMonth: 7 });
    const pilot = await createPilot(
      api.http,
      owner.token,
      (await createRollout(api.http, owner.token, fiscal.id)).id,
      { startQuarter: '2027-Q3', quarterCount: 3 },
    );
    expect((await quartersOf(pilot.id)).map((q) => [q.label, q.startsOn, q.endsOn])).toEqual([
      ['2027-Q3', '2027-01-01', '2027-03-31'],
      ['2027-Q4', '2027-04-01', '2027-06-30'],
      ['2028-Q1', '2027-07-01', '2027-09-30'],
    ]);
    // Calendar organizations are as before.
    const calendar = await createOrganization(api.http, owner.token);
    expect(
      (await api.http.get(`/api/v1/organizations/${calendar.id}`).set(auth).expect(200)).body,
    ).toMatchObject({
      fiscalYearStartMonth: 1,
      quietPeriods: [],
    });

    const bad = await api.http
      .patch(`/api/v1/organizations/${calendar.id}`)
      .set(auth)
      .send({ quietPeriods: [{ start: '07-01', end: '07-32' }] })
      .expect(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([
      { field: 'quietPeriods[0].end', reason: expect.stringContaining('MM-DD') },
    ]);
    const month = await api.http
      .patch(`/api/v1/organizations/${calendar.id}`)
      .set(auth)
      .send({ fiscalYearStartMonth: 13 })
      .expect((res) => expect(res.status).toBeGreaterThanOrEqual(400));
    expect(month.status).toBeLessThan(500);
    expect(JSON.stringify(month.body.errors)).toContain('fiscalYearStartMonth');
    expect(
      (await api.http.get(`/api/v1/organizations/${calendar.id}`).set(auth).expect(200)).body.quietPeriods,
    ).toEqual([]);
  });

  it('moves the test clock through POST /dev/clock, forward only', async () => {
    const before = clock.now().getTime();
    const moved = await api.http.post('/dev/clock').send({ advance: 'P1D' }).expect(200);
    expect(new Date(moved.body.now).getTime()).toBe(before + DAY);
    expect(clock.now().getTime()).toBe(before + DAY);
    const to = await api.http.post('/dev/clock').send({ to: '2027-12-01T09:00:00+02:00' }).expect(200);
    expect(to.body.now).toBe('2027-12-01T07:00:00.000Z');
    const back = await api.http.post('/dev/clock').send({ to: '2027-01-01T09:00:00+02:00' }).expect(422);
    expect(back.body.errors[0].field).toBe('to');
    await api.http.post('/dev/clock').send({ advance: 'tomorrow' }).expect(422);
    expect((await api.http.get('/dev/clock').expect(200)).body.now).toBe('2027-12-01T07:00:00.000Z');
  });
});
