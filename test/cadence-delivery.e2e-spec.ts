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
import { waitFor } from './support/processes';
import { ReceivedMail, startSmtpServer, TestSmtpServer } from './support/smtp';
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

type Locale = (typeof PEOPLE)[number]['locale'];
type Kind = 'kickoff' | 'week' | 'midquarter' | 'retrospective' | 'reminder' | 'closed';

/** Words only that language's version of each message has, independent of the renderer. */
const WORDS: Record<Kind, Record<Locale, string>> = {
  kickoff: { fi: 'tärkein tehtävä', sv: 'viktigaste uppgiften', en: 'most crucial task' },
  week: {
    fi: 'Kaksi kysymystä, noin minuutti',
    sv: 'Två frågor, ungefär en minut',
    en: 'Two questions, about a minute',
  },
  midquarter: {
    fi: 'Ovatko avaintulokset yhä oikeat?',
    sv: 'Är nyckelresultaten fortfarande de rätta?',
    en: 'Are the key results still the right ones?',
  },
  retrospective: {
    fi: 'Retrospektiiviin vastaaminen vie noin viisi minuuttia',
    sv: 'Det tar ungefär fem minuter att svara på retrospektiven',
    en: 'The retrospective takes about five minutes',
  },
  reminder: {
    fi: 'pilottiryhmän retrospektiivi on vielä auki',
    sv: 'pilotgruppens retrospektiv är fortfarande öppen',
    en: 'retrospective is still open',
  },
  closed: {
    fi: 'retrospektiivi on nyt suljettu',
    sv: 'är nu stängd',
    en: 'retrospective is now closed',
  },
};
const WEEK_WORD = { fi: 'Viikko', sv: 'Vecka', en: 'Week' };
/** 18:30 on the last day in Helsinki, Stockholm and London (all on summer time by then), in UTC. */
const EVENING_TICKS = { fi: '15:30', sv: '16:30', en: '17:30' };
const flat = (text: string | null) => (text ?? '').replace(/\s+/g, ' ');

/** Both parts, each in the right language: its own words in the text and the HTML part, and the HTML's lang. */
function expectLanguage(mail: ReceivedMail, locale: Locale, words: string) {
  expect({ to: mail.to, subject: mail.subject, structure: mail.structure }).toEqual({
    to: mail.to,
    subject: mail.subject,
    structure: 'multipart/alternative(text/plain,text/html)',
  });
  expect(mail.htmlPart).toContain(`<html lang="${locale}">`);
  expect(flat(mail.plainPart)).toContain(words);
  expect(flat(mail.htmlPart)).toContain(words);
}

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
  const arrivals: { to: string; mail: ReceivedMail; day: string; at: string }[] = [];

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
    const organization = await createOrganization(api.http, owner.token, {
      defaultLocale: 'fi',
      timeZone: 'Europe/Helsinki',
    });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    // The coach gets the learning report; a member reads mail in the organization's language.
    const coach = await addMember(api.http, owner, 'coach');
    // It waits for the coach's review at the quarter's end: otherwise 2027-Q2 would start by itself on
    // April 1 (see quarters-that-move.e2e-spec.ts), and this test is about one quarter's mail.
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      coachId: coach.id,
      levels: ['staff'],
      startQuarter: '2027-Q1',
      waitForReview: true,
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

    /** A tick, then until every queued mail went and every report build (and the mail it adds) is done. */
    const tick = async () => {
      const seen = smtp.received.length;
      await worker.tickAndDrain();
      await waitFor(
        async () =>
          (
            await api.db.query(
              `SELECT (SELECT count(*) FROM learning_report WHERE status IN ('queued', 'building'))
                    + (SELECT count(*) FROM learning_report lr WHERE lr.status = 'ready' AND NOT EXISTS
                        (SELECT 1 FROM outbox_message o WHERE o.key LIKE 'report.learning.' || lr.id || '.m%'))
                    + (SELECT count(*) FROM outbox_message
                       WHERE status = 'queued' OR (status = 'pending' AND due_at <= $1)) AS n`,
              [clock.now()],
            )
          )[0].n === '0',
        30_000,
        () => 'a report still building, or its mail not sent',
      );
      const now = clock.now().toISOString();
      for (const mail of smtp.received.slice(seen))
        arrivals.push({ to: mail.to, mail, day: now.slice(0, 10), at: now.slice(11, 16) });
    };
    const retrospective = async () =>
      (await api.db.query(`SELECT state, closed_at AS "closedAt" FROM retrospective WHERE quarter_id = $1`, [
        quarterId,
      ])) as { state: string; closedAt: Date | null }[];

    // Noon UTC every day of the quarter and two days on: past 09:00 local in Helsinki, Stockholm and
    // London, before quiet hours. On the last day also 18:30 local in each zone, after the 18:00 close.
    let unsubscribedAt: string | null = null;
    for (let day = 0; day < 92; day++) {
      await tick();
      const today = clock.now().toISOString().slice(0, 10);
      if (today === '2027-03-31') {
        // The last day's noon: the retrospective is still open; it closes at 18:00 in Helsinki.
        expect(await retrospective()).toEqual([{ state: 'open', closedAt: null }]);
        for (const time of Object.values(EVENING_TICKS)) {
          clock.set(new Date(`${today}T${time}:00Z`));
          await tick();
        }
        clock.set(new Date(`${today}T12:00:00Z`));
      }

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
      { day: beforeEnd(0), kind: 'closed' },
    ].sort((a, b) => a.day.localeCompare(b.day));

    for (const person of PEOPLE) {
      const mine = arrivals.filter((a) => a.to === person.email);
      const wanted =
        person.email === 'oliver@example.co.uk' ? expected.filter((e) => e.day <= unsubscribedAt!) : expected;
      expect({ who: person.email, days: mine.map((m) => m.day) }).toEqual({
        who: person.email,
        days: wanted.map((e) => e.day),
      });
      // Every mail in the person's language, in both parts; the week number in the check-in subjects.
      const mails = mine.map((m) => m.mail);
      wanted.forEach((e, i) =>
        expectLanguage(mails[i], person.locale, WORDS[e.kind.split(' ')[0] as Kind][person.locale]),
      );
      wanted.forEach((e, i) => {
        if (e.kind.startsWith('week'))
          expect(mails[i].subject).toContain(`${WEEK_WORD[person.locale]} ${e.kind.split(' ')[1]}`);
        // The thanks at close come at 18:30 local, the first tick after 18:00 in the person's zone.
        if (e.kind === 'closed') expect(mine[i].at).toBe(EVENING_TICKS[person.locale]);
      });
      // The retrospective's mails carry a single-use link of their own, a fresh one each.
      const survey = mails.filter((_, i) => ['retrospective', 'reminder'].includes(wanted[i].kind));
      const links = survey.map(
        (m) => /http:\/\/luotsi\.test\/r\/r_[A-Za-z0-9_-]{43}/.exec(m.plainPart!)?.[0],
      );
      expect(links.every(Boolean)).toBe(true);
      expect(new Set(links).size).toBe(links.length);
      for (const mail of mails) {
        expect(mail.plainPart!.length).toBeGreaterThan(100);
        expect(mail.plainPart).not.toMatch(/<[a-z]/i);
        expect(mail.htmlPart).toContain('</html>');
        expect(mail.htmlPart).not.toMatch(/\{\{|\}\}/);
        // A visible unsubscribe link in both parts, and the header with the same URL.
        const header = mail.header('list-unsubscribe')!.replace(/^<|>$/g, '');
        expect(header).toMatch(/^http:\/\/luotsi\.test\/u\/u_[A-Za-z0-9_-]{43}$/);
        expect(mail.htmlPart).toContain(`href="${header}"`);
        expect(mail.plainPart).toContain(header);
      }
    }

    // The retrospective closed at the first tick after 18:00 in Helsinki on the last day, and the
    // learning report it asked for went to the coach then, in the organization's language, with a share
    // link; the `learning-report` step (April 1, 08:00) rebuilt it at the next tick and mailed nobody twice.
    expect(await retrospective()).toEqual([
      { state: 'closed', closedAt: new Date(`2027-03-31T${EVENING_TICKS.fi}:00Z`) },
    ]);
    const isReminder = (a: (typeof arrivals)[number]) =>
      /\.review-reminder\./.test(a.mail.header('x-luotsi-message')!);
    const coachMail = arrivals.filter((a) => a.to === coach.email && !isReminder(a));
    expect(coachMail.map((a) => `${a.day}T${a.at}`)).toEqual([`2027-03-31T${EVENING_TICKS.fi}`]);
    // The quarter ended at midnight; the pilot waits, and its coach was reminded once, at the next tick.
    expect(arrivals.filter(isReminder).map((a) => [a.to, `${a.day}T${a.at}`])).toEqual([
      [coach.email, '2027-04-01T12:00'],
    ]);
    const [reportMail] = coachMail.map((a) => a.mail);
    expect(reportMail.subject).toMatch(/^Oppimisraportti valmis: /);
    expectLanguage(reportMail, 'fi', 'oppimisraportti on valmis');
    expect(reportMail.plainPart).toMatch(/http:\/\/luotsi\.test\/s\/s_[A-Za-z0-9_-]{43}/);
    expect(reportMail.header('list-unsubscribe')).toBeUndefined();
    expect(
      await api.db.query(
        `SELECT status, generation, requested_at AS "requestedAt" FROM learning_report WHERE quarter_id = $1`,
        [quarterId],
      ),
    ).toEqual([{ status: 'ready', generation: 2, requestedAt: new Date('2027-04-01T12:00:00Z') }]);

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
    expect(
      report.body.steps.find((s: { stepKey: string }) => s.stepKey === 'retrospective-close').counts,
    ).toMatchObject({ sent: PEOPLE.length - 1, suppressed: 1 });
    expect(report.body.steps.find((s: { stepKey: string }) => s.stepKey === 'kickoff').counts.sent).toBe(
      PEOPLE.length,
    );
    // The participants' mail, the coach's learning report and the coach's review reminder.
    expect(smtp.received.length).toBe(PEOPLE.length * expected.length - oliverMissed + 2);
  });
});
