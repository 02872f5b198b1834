import { ManualClock } from '@luotsi/domain';
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
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const DAY = 24 * 3600 * 1000;
const LINK = /http:\/\/luotsi\.test(\/c\/c_[A-Za-z0-9_-]{43})/;
const PEOPLE = {
  aino: { email: 'aino@example.fi', name: 'Aino Virtanen', locale: 'fi' },
  bjorn: { email: 'bjorn@example.se', name: 'Björn Öhman', locale: 'sv' },
  emma: { email: 'emma@example.co.uk', name: 'Emma Clarke', locale: 'en' },
} as const;

/** Progress as a coach would work it out on paper: the share of the way from start to target, 0..1. */
const share = (start: number, target: number, current: number) =>
  Math.min(1, Math.max(0, (current - start) / (target - start)));
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** A participant error page: HTML (never JSON), in the language given, with its heading. */
function expectPage(
  response: { status: number; headers: Record<string, string>; text: string },
  locale: string,
  heading: string,
  status?: number,
) {
  if (status) expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.text).toContain(`<html lang="${locale}">`);
  expect(response.text).toMatch(new RegExp(`<h1>${escapeRegExp(heading)}`));
  expect(response.text).not.toContain('<form');
}
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Key-result owners get a single-use check-in link in their weekly mail; the one who owns nothing gets
 * the mail without it. An answer shows in the API; the link is refused when used, expired, or pointed
 * at someone else's key result.
 */
describe('weekly check-ins by email', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-01-01T12:00:00Z'));
  const env = () => ({ SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://luotsi.test' });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    api = await startApi({ clock, env: env() });
    worker = await startWorker({ ...api.env, ...env() }, clock);
    owner = await signUp(api.http);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.close();
  });

  const checkIns = async () => (await api.db.query(`SELECT count(*)::int AS n FROM check_in`))[0].n as number;

  it('links owners to their own key results, records an answer once, and refuses the rest', async () => {
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['staff'],
      startQuarter: '2027-Q1',
    });
    const ids: Record<string, string> = {};
    for (const [key, person] of Object.entries(PEOPLE)) {
      ids[key] = (
        await api.http
          .post(`/api/v1/pilots/${pilot.id}/participants`)
          .set(auth)
          .send({ ...person, level: 'staff' })
          .expect(201)
      ).body.id;
    }
    const started = await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const quarterId = started.body.currentQuarter.id as string;

    // Aino owns two key results; Björn owns an objective whose key result has no owner of its own.
    const service = await api.http
      .post(`/api/v1/quarters/${quarterId}/objectives`)
      .set(auth)
      .send({
        title: 'Asiakkaat saavat vastauksen nopeammin',
        keyResults: [
          {
            title: 'Median answer time from 12 to 4 days',
            measure: 'metric',
            start: 12,
            target: 4,
            unit: 'days',
            ownerId: ids.aino,
          },
          { title: 'New answer templates in use', measure: 'milestone', ownerId: ids.aino },
        ],
      })
      .expect(201);
    const satisfaction = await api.http
      .post(`/api/v1/quarters/${quarterId}/objectives`)
      .set(auth)
      .send({
        title: 'Kunderna är nöjdare',
        ownerId: ids.bjorn,
        keyResults: [
          { title: 'Customer satisfaction from 62 to 75', measure: 'metric', start: 62, target: 75 },
        ],
      })
      .expect(201);
    const [answerTime, templates] = service.body.keyResults as { id: string }[];
    const [csat] = satisfaction.body.keyResults as { id: string }[];

    // Day 0 is the kickoff; day 7 the first check-in request (week 2).
    await worker.tickAndDrain();
    clock.advance(7 * DAY);
    const before = smtp.received.length;
    await worker.tickAndDrain();
    const mails = smtp.received.slice(before);
    expect(mails.map((m) => m.to).sort()).toEqual(
      Object.values(PEOPLE)
        .map((p) => p.email)
        .sort(),
    );
    const mailTo = (key: keyof typeof PEOPLE) => mails.find((m) => m.to === PEOPLE[key].email)!;
    expect(mailTo('aino').subject).toContain('Viikko 2');
    const links = { aino: LINK.exec(mailTo('aino').text)![1], bjorn: LINK.exec(mailTo('bjorn').text)![1] };
    expect(mailTo('emma').text).not.toContain('/c/');
    expect(mailTo('emma').text).toContain("Bring your estimate to the team's next weekly meeting");
    expect(mailTo('aino').html).toContain(`http://luotsi.test${links.aino}`);

    // Stored only as hashes; valid until the end of week 2 plus three days.
    const tokens = await api.db.query(
      `SELECT participant_id, week, expires_at, used FROM check_in_token ORDER BY expires_at`,
    );
    expect(tokens).toHaveLength(2);
    for (const t of tokens) {
      expect(t).toMatchObject({ week: 2, used: false });
      expect(t.expires_at.toISOString()).toBe(new Date(Date.UTC(2027, 0, 1) + 17 * DAY).toISOString());
    }
    expect(JSON.stringify(tokens)).not.toContain(links.aino.slice(3));

    // The form: Aino's own key results only, in Finnish; Swedish on request.
    const page = await api.http.get(links.aino).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.text).toContain('<html lang="fi">');
    expect(page.text).toContain('<legend>Median answer time from 12 to 4 days</legend>');
    expect(page.text).toContain('<legend>New answer templates in use</legend>');
    expect(page.text).not.toContain('Customer satisfaction');
    expect((await api.http.get(`${links.aino}?lang=sv`).expect(200)).text).toContain('<html lang="sv">');

    // A field for Björn's key result: 422 naming it, nothing stored, the link still good.
    const aino = {
      [`value.${answerTime.id}`]: '8,5',
      [`confidence.${answerTime.id}`]: '7',
      [`note.${answerTime.id}`]: 'Uudet pohjat auttavat.',
      [`done.${templates.id}`]: 'yes',
      [`confidence.${templates.id}`]: '9',
    };
    const foreign = await api.http
      .post(links.aino)
      .type('form')
      .send({ ...aino, [`confidence.${csat.id}`]: '2' })
      .expect(422);
    expect(foreign.text).toContain('role="alert"');
    expect(foreign.text).toContain(`confidence.${csat.id}`);
    expect(foreign.text).toContain('ei ole sinun');
    expect(await checkIns()).toBe(0);

    // Missing confidence and a word for a number: 422 with both fields, in the chosen language.
    const bad = await api.http
      .post(links.aino)
      .type('form')
      .send({ ...aino, lang: 'en', [`value.${answerTime.id}`]: 'eight', [`confidence.${templates.id}`]: '' })
      .expect(422);
    expect(bad.text).toContain('<html lang="en">');
    expect(bad.text).toContain(`href="#value-${answerTime.id}"`);
    expect(bad.text).toContain(`href="#confidence-${templates.id}-0"`);
    expect(bad.text).toContain('Enter the current value as a number');
    expect(await checkIns()).toBe(0);

    // The answer, with a decimal comma: thanks.
    const saved = await api.http.post(links.aino).type('form').send(aino).expect(200);
    expect(saved.text).toContain('Kiitos, check-in on tallennettu!');
    const stored = await api.db.query(
      `SELECT key_result_id, participant_id, week, current_value::float AS value, done, confidence, note,
              to_char(recorded_on, 'YYYY-MM-DD') AS day
       FROM check_in ORDER BY confidence`,
    );
    expect(stored).toEqual([
      {
        key_result_id: answerTime.id,
        participant_id: ids.aino,
        week: 2,
        value: 8.5,
        done: null,
        confidence: 7,
        note: 'Uudet pohjat auttavat.',
        day: '2027-01-08',
      },
      {
        key_result_id: templates.id,
        participant_id: ids.aino,
        week: 2,
        value: null,
        done: true,
        confidence: 9,
        note: '',
        day: '2027-01-08',
      },
    ]);

    // The API shows the recorded values, confidence and progress (a fresh login: a week has passed).
    const login = await api.http
      .post('/api/v1/auth/login')
      .send({ email: owner.email, password: PASSWORD })
      .expect(200);
    const listed = await api.http
      .get(`/api/v1/quarters/${quarterId}/objectives`)
      .set(bearer(login.body.accessToken))
      .expect(200);
    const objective = listed.body.items.find((o: { id: string }) => o.id === service.body.id);
    const [time, tmpl] = objective.keyResults;
    const timeProgress = share(12, 4, 8.5);
    expect(time).toMatchObject({ current: 8.5, confidence: 7, progress: round4(timeProgress) });
    expect(tmpl).toMatchObject({ done: true, confidence: 9, progress: 1 });
    expect(objective.progress).toBe(round4((timeProgress + 1) / 2));
    const other = listed.body.items.find((o: { id: string }) => o.id === satisfaction.body.id);
    expect(other.keyResults[0]).toMatchObject({ current: null, confidence: null, progress: 0 });

    // The same link again: used, for the form and for a submit; a page in the person's language.
    const usedPost = await api.http.post(links.aino).type('form').send(aino).expect(409);
    expectPage(usedPost, 'fi', 'Check-in on jo tehty');
    expectPage(await api.http.get(links.aino).expect(409), 'fi', 'Check-in on jo tehty');
    expectPage(await api.http.get(`${links.aino}?lang=en`).expect(409), 'en', 'Check-in already done');
    expect(await checkIns()).toBe(2);

    // Unknown links: 404, the same page in all three languages (whose link it was is not known).
    const unknown = await api.http.get(`/c/c_${'A'.repeat(43)}`).expect(404);
    expectPage(unknown, 'en', 'This link does not work · Linkki ei toimi · Länken fungerar inte');
    expectPage(await api.http.get('/c/nonsense').expect(404), 'en', 'This link does not work');
    const unknownPost = await api.http
      .post(`/c/c_${'A'.repeat(43)}`)
      .type('form')
      .send({ lang: 'sv' });
    expectPage(unknownPost, 'sv', 'Länken fungerar inte', 404);

    // Errors raised before the form is read are the same page too, never JSON: a form too large for
    // any check-in (413), a post from another site (403).
    const huge = await api.http
      .post(links.bjorn)
      .type('form')
      .send({ [`note.${csat.id}`]: 'x'.repeat(20_000) })
      .expect(413);
    expectPage(huge, 'en', 'Something went wrong · Jokin meni vikaan · Något gick fel');
    const foreignSite = await api.http
      .post(links.bjorn)
      .set('Origin', 'https://elsewhere.example')
      .type('form')
      .send({ [`confidence.${csat.id}`]: '6' })
      .expect(403);
    expectPage(foreignSite, 'en', 'This link does not work · Linkki ei toimi');
    expect(await checkIns()).toBe(2);

    // Björn's link expires after week 2 plus three days.
    await api.http.get(links.bjorn).expect(200);
    clock.advance(10 * DAY); // 2027-01-18T12:00Z
    expectPage(await api.http.get(links.bjorn).expect(410), 'sv', 'Länken har gått ut');
    const late = await api.http
      .post(links.bjorn)
      .type('form')
      .send({ [`value.${csat.id}`]: '70', [`confidence.${csat.id}`]: '6' })
      .expect(410);
    expectPage(late, 'sv', 'Länken har gått ut');
    expect(await checkIns()).toBe(2);

    // Week 3's request; fifty submits of Björn's new link at once (a double tap, a flaky connection, a
    // script): one is stored, the other 49 are told the link was used.
    const sent = smtp.received.length;
    await worker.tickAndDrain();
    const week3 = smtp.received.slice(sent).find((m) => m.to === PEOPLE.bjorn.email)!;
    expect(week3.subject).toContain('Vecka 3');
    const link3 = LINK.exec(week3.text)![1];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.http
          .post(link3)
          .type('form')
          .send({ [`value.${csat.id}`]: String(63 + i), [`confidence.${csat.id}`]: String(i % 11) }),
      ),
    );
    const byStatus = results.reduce<Record<number, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    );
    expect(byStatus).toEqual({ 200: 1, 409: 49 });
    const week3Rows = await api.db.query(
      `SELECT current_value::float AS value, confidence FROM check_in WHERE key_result_id = $1 AND week = 3`,
      [csat.id],
    );
    expect(week3Rows).toHaveLength(1);
    const [kr] = await api.db.query(
      `SELECT current_value::float AS value, confidence FROM key_result WHERE id = $1`,
      [csat.id],
    );
    expect(kr).toEqual(week3Rows[0]);
    expect(await checkIns()).toBe(3);
  });
});
