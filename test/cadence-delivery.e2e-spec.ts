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
const PEOPLE = [
  { email: 'aino@example.fi', name: 'Aino Virtanen', locale: 'fi', timeZone: 'Europe/Helsinki' },
  { email: 'eero@example.fi', name: 'Eero Mäkinen', locale: 'fi', timeZone: 'Europe/Helsinki' },
  { email: 'asa@example.se', name: 'Åsa Lindqvist', locale: 'sv', timeZone: 'Europe/Stockholm' },
  { email: 'bjorn@example.se', name: 'Björn Öhman', locale: 'sv', timeZone: 'Europe/Stockholm' },
  { email: 'emma@example.co.uk', name: 'Emma Clarke', locale: 'en', timeZone: 'Europe/London' },
  { email: 'oliver@example.co.uk', name: 'Oliver Brown', locale: 'en', timeZone: 'Europe/London' },
] as const;

/** Words only that language's version of a message has, independent of the renderer. */
const KICKOFF_WORDS = { fi: 'tärkein tehtävä', sv: 'viktigaste uppgiften', en: 'most crucial task' };
const WEEK_WORD = { fi: 'Viikko', sv: 'Vecka', en: 'Week' };

/**
 * A pilot with participants in three languages lives through a whole quarter on the test clock; a
 * real SMTP server receives what the real queue and worker send.
 */
describe('a quarter of coaching mail', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-01-01T12:00:00Z'));
  const arrivals: { to: string; subject: string; day: string }[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    api = await startApi({ clock, env: { SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://luotsi.test' } });
    worker = await startWorker(
      { ...api.env, SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://luotsi.test' },
      clock,
    );
    owner = await signUp(api.http);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.close();
  });

  it("sends every step on its day, in each person's language, once, and stops for who unsubscribes", async () => {
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { defaultLocale: 'fi' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['staff'],
      startQuarter: '2027-Q1',
    });
    for (const person of PEOPLE) {
      await api.http
        .post(`/api/v1/pilots/${pilot.id}/participants`)
        .set(auth)
        .send({ ...person, level: 'staff' })
        .expect(201);
    }
    await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const quarterId = (await api.http.get(`/api/v1/pilots/${pilot.id}`).set(auth).expect(200)).body
      .currentQuarter.id;

    // Noon UTC every day of the quarter: past 09:00 local in Helsinki, Stockholm and London, before quiet hours.
    let unsubscribedAt: string | null = null;
    for (let day = 0; day < 90; day++) {
      const seen = smtp.received.length;
      await worker.tickAndDrain();
      const today = clock.now().toISOString().slice(0, 10);
      for (const mail of smtp.received.slice(seen))
        arrivals.push({ to: mail.to, subject: mail.subject, day: today });

      if (today === '2027-01-20' && !unsubscribedAt) {
        // Oliver clicks "unsubscribe" in his mail client (RFC 8058 one-click POST to the header's URL).
        const last = [...smtp.received].reverse().find((m) => m.to === 'oliver@example.co.uk')!;
        const url = new URL(last.header('list-unsubscribe')!.replace(/^<|>$/g, ''));
        expect(url.origin).toBe('http://luotsi.test');
        expect(last.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
        const page = await api.http.get(url.pathname).expect(200);
        expect(page.text).toContain('<html lang="en">');
        await api.http.post(url.pathname).type('form').send({ 'List-Unsubscribe': 'One-Click' }).expect(200);
        unsubscribedAt = today;
      }
      clock.advance(DAY);
    }

    // Each person's expected days, computed from the plan's offsets by hand: kickoff day 0, check-ins
    // every 7 days from day 7 to day 70, mid-quarter prompt on day 37; from the last day (March 31):
    // the retrospective invitation 14 days before, reminders 11 and 9 days before (nobody answered).
    const dayOf = (offset: number) =>
      new Date(Date.UTC(2027, 0, 1) + offset * DAY).toISOString().slice(0, 10);
    const beforeEnd = (days: number) =>
      new Date(Date.UTC(2027, 2, 31) - days * DAY).toISOString().slice(0, 10);
    const expected = [
      { day: dayOf(0), kind: 'kickoff' },
      ...[2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((week) => ({
        day: dayOf((week - 1) * 7),
        kind: `week ${week}`,
      })),
      { day: dayOf(37), kind: 'midquarter' },
      { day: beforeEnd(14), kind: 'retrospective' },
      { day: beforeEnd(11), kind: 'reminder' },
      { day: beforeEnd(9), kind: 'reminder' },
    ].sort((a, b) => a.day.localeCompare(b.day));

    for (const person of PEOPLE) {
      const mine = arrivals.filter((a) => a.to === person.email);
      const wanted =
        person.email === 'oliver@example.co.uk' ? expected.filter((e) => e.day <= unsubscribedAt!) : expected;
      expect({ who: person.email, days: mine.map((m) => m.day) }).toEqual({
        who: person.email,
        days: wanted.map((e) => e.day),
      });
      // The language: the kickoff's own words, and the week number in the check-in subjects.
      const mails = smtp.received.filter((m) => m.to === person.email);
      expect(mails[0].text).toContain(KICKOFF_WORDS[person.locale]);
      expect(mails[0].html).toContain(`lang="${person.locale}"`);
      for (const e of wanted.filter((w) => w.kind.startsWith('week'))) {
        const mail = mails[mine.findIndex((m) => m.day === e.day)];
        expect(mail.subject).toContain(`${WEEK_WORD[person.locale]} ${e.kind.split(' ')[1]}`);
      }
      // The retrospective's mails carry a single-use link of their own, a fresh one each.
      const survey = wanted
        .filter((w) => w.kind === 'retrospective' || w.kind === 'reminder')
        .map((e) => mails[mine.findIndex((m) => m.day === e.day)]);
      const links = survey.map((m) => /http:\/\/luotsi\.test\/r\/r_[A-Za-z0-9_-]{43}/.exec(m.text)?.[0]);
      expect(links.every(Boolean)).toBe(true);
      expect(new Set(links).size).toBe(links.length);
      for (const mail of mails) {
        expect(mail.text.length).toBeGreaterThan(100);
        expect(mail.html).toContain('</html>');
        expect(mail.html).not.toMatch(/\{\{|\}\}/);
        // A visible unsubscribe link in both parts, and the header with the same URL.
        const header = mail.header('list-unsubscribe')!.replace(/^<|>$/g, '');
        expect(header).toMatch(/^http:\/\/luotsi\.test\/u\/u_[A-Za-z0-9_-]{43}$/);
        expect(mail.html).toContain(`href="${header}"`);
        expect(mail.text).toContain(header);
      }
    }

    // Nothing twice: one message id per mail, and per outbox row.
    const ids = smtp.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const [{ n: outboxSent }] = await api.db.query(
      `SELECT count(*)::int AS n FROM outbox_message WHERE status = 'sent'`,
    );
    expect(outboxSent).toBe(smtp.received.length);

    // The coach's view agrees, and says Oliver's later mail was suppressed, not lost.
    // Later prompts to Oliver are recorded as suppressed; the retrospective opened after he left, so it
    // never invited him at all.
    const oliverMissed = expected.filter((e) => e.day > unsubscribedAt!).length;
    const oliverSuppressed = expected.filter(
      (e) => e.day > unsubscribedAt! && !['retrospective', 'reminder'].includes(e.kind),
    ).length;
    // Ninety days on the clock outlived the morning's token: log in again.
    const login = await api.http
      .post('/api/v1/auth/login')
      .send({ email: owner.email, password: PASSWORD })
      .expect(200);
    const report = await api.http
      .get(`/api/v1/quarters/${quarterId}/deliveries`)
      .set(bearer(login.body.accessToken))
      .expect(200);
    expect(report.body.counts).toEqual({
      pending: 0,
      queued: 0,
      sent: smtp.received.length,
      deferred: 0,
      failed: 0,
      suppressed: oliverSuppressed,
    });
    expect(report.body.steps.map((s: { stepKey: string }) => s.stepKey)).toEqual(
      expect.arrayContaining([
        'kickoff',
        'checkin-w2',
        'checkin-w11',
        'midquarter',
        'retrospective-open',
        'retrospective-close',
      ]),
    );
    expect(report.body.steps.find((s: { stepKey: string }) => s.stepKey === 'kickoff').counts.sent).toBe(
      PEOPLE.length,
    );
    expect(smtp.received.length).toBe(PEOPLE.length * expected.length - oliverMissed);
  });
});
