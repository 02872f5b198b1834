import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  Workspace,
} from './support/fixtures';
import { ReceivedMail, startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

/** A planning link as the app writes it with `PUBLIC_BASE_URL=http://luotsi.test`. */
const PLANNING_LINK = /http:\/\/luotsi\.test(\/p\/p_[A-Za-z0-9_-]{43})/;

interface Person {
  key: 'A' | 'B' | 'C' | 'D' | 'E';
  id: string;
  email: string;
  name: string;
  locale: 'fi' | 'sv' | 'en';
  link: string;
}

const keyOf = (mail: ReceivedMail) => mail.header('x-luotsi-message')!;
/** The day a digest is of, from its natural key (`{quarter}.planning-digest.{day}.p{participant}`). */
const digestDay = (mail: ReceivedMail) => /\.planning-digest\.(\d{4}-\d{2}-\d{2})\./.exec(keyOf(mail))?.[1];
/** A mail's plain text on one line (the text part wraps long lines). */
const words = (mail: ReceivedMail) => mail.text.replace(/\s+/g, ' ');
/** How many entries a digest lists: one `<li>` each. */
const items = (mail: ReceivedMail) => (mail.html.match(/<li /g) ?? []).length;

/**
 * The planning dialogue's daily digest, end to end on the test clock with the real worker and a real
 * SMTP server. Five participants (A fi, B sv, C en, D en, E fi) and the pilot's coach; E owns key result
 * KR2 and D owns objective O2, and D unsubscribes before anyone writes. The rollout's quiet hours are
 * 20:00–09:30 and its weekly cap 3, so a digest due at 08:00 waits until 09:30, and a fourth mail in a
 * week waits for the cap. Every expected figure below is counted by hand from the entries written.
 */
describe('the daily digest of the planning dialogue', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-03-10T12:00:00Z'));

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

  /** A beat of the worker at `at` (UTC), its mail sent. */
  const beatAt = async (at: string) => {
    clock.set(new Date(at));
    await worker.tickAndDrain();
  };
  const digests = () => smtp.received.filter((m) => digestDay(m) !== undefined);
  const digestsOf = (day: string) => digests().filter((m) => digestDay(m) === day);
  const digestRows = async () =>
    (await api.db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE kind = 'planning_digest'`))[0]
      .n as number;

  it('mails each follower at most one digest a day, after quiet hours, within the weekly cap, and none to the unsubscribed', async () => {
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    await api.http
      .put(`/api/v1/rollouts/${rollout.id}/cadence`)
      .set(auth)
      .send({
        steps: [
          {
            key: 'planning-open',
            kind: 'planning_open',
            anchor: 'end',
            offsetDays: -13,
            sendTime: '10:00',
            template: 'planning-open',
            audience: 'participants',
          },
        ],
        weeklyEmailCap: 3,
        quietHours: { start: '20:00', end: '09:30' },
      })
      .expect(200);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      name: 'Jäsenpalvelut',
      levels: ['staff'],
      startQuarter: '2027-Q1',
      quarterCount: 2,
      coachId: owner.ownerId,
    });
    const people = {} as Record<Person['key'], Person>;
    for (const [key, email, name, locale] of [
      ['A', 'aino@example.fi', 'Aino Väänänen', 'fi'],
      ['B', 'asa@example.se', 'Åsa Lindqvist', 'sv'],
      ['C', 'emma@example.co.uk', "Emma O'Brien", 'en'],
      ['D', 'dan@example.com', 'Dan Doe', 'en'],
      ['E', 'eero@example.fi', 'Eero Mäki', 'fi'],
    ] as const) {
      const created = await api.http
        .post(`/api/v1/pilots/${pilot.id}/participants`)
        .set(auth)
        .send({ email, name, locale, level: 'staff', timeZone: 'UTC' })
        .expect(201);
      people[key] = { key, id: created.body.id, email, name, locale, link: '' };
    }
    const { A, B, C, D, E } = people;
    await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const [, q2] = (await api.http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(auth).expect(200)).body as {
      id: string;
      label: string;
    }[];

    // The drafts: O1 with KR1 and KR2 (E owns KR2), O2 with KR3 (D owns O2).
    const o1 = (
      await api.http
        .post(`/api/v1/quarters/${q2.id}/objectives`)
        .set(auth)
        .send({
          title: 'Members get answers quickly',
          keyResults: [
            { title: 'Answer emails faster', kind: 'committed', measure: 'metric', start: 40, target: 80 },
            { title: 'Publish the service promise', kind: 'aspirational', measure: 'binary', ownerId: E.id },
          ],
        })
        .expect(201)
    ).body;
    const o2 = (
      await api.http
        .post(`/api/v1/quarters/${q2.id}/objectives`)
        .set(auth)
        .send({
          title: 'Volunteers stay',
          ownerId: D.id,
          keyResults: [
            { title: 'Keep 90 % of volunteers', kind: 'committed', measure: 'metric', start: 80, target: 90 },
          ],
        })
        .expect(201)
    ).body;
    const [kr1, kr2] = o1.keyResults as { id: string }[];
    const [kr3] = o2.keyResults as { id: string }[];
    expect(o2.ownerId).toBe(D.id);
    expect(o1.keyResults[1].ownerId).toBe(E.id);

    // 18 March 10:00: the planning mail, a link for each of the five.
    await beatAt('2027-03-18T10:00:00Z');
    const opened = smtp.received.filter((m) => keyOf(m).includes('.planning-open.'));
    expect(opened).toHaveLength(5);
    for (const p of Object.values(people))
      p.link = PLANNING_LINK.exec(opened.find((m) => m.to === p.email)!.html)![1];
    // D unsubscribes with the mail's one-click link.
    const unsubscribe = new URL(
      opened
        .find((m) => m.to === D.email)!
        .header('list-unsubscribe')!
        .replace(/^<|>$/g, ''),
    );
    await api.http
      .post(unsubscribe.pathname)
      .type('form')
      .send({ 'List-Unsubscribe': 'One-Click' })
      .expect(200);

    const post = async (p: Person, at: string, target: string, body: string, extra = {}) => {
      clock.set(new Date(at));
      await api.http
        .post(p.link)
        .type('form')
        .send({ lang: p.locale, target, action: 'comment', body, ...extra })
        .expect(303);
    };

    // Day 1, 19 March: nine entries.
    await post(A, '2027-03-19T13:00:00Z', `o:${o1.id}`, 'A1 on O1'); // 1: nobody follows yet
    await post(B, '2027-03-19T13:10:00Z', `o:${o1.id}`, 'B1 on O1'); // 2: A
    await post(C, '2027-03-19T13:20:00Z', `o:${o1.id}`, 'C1 on O1'); // 3: A, B
    await post(A, '2027-03-19T13:30:00Z', `o:${o1.id}`, 'A2 on O1'); // 4: B, C
    await post(B, '2027-03-19T13:40:00Z', `k:${kr2.id}`, 'B2 on KR2'); // 5: E (owns KR2)
    await post(C, '2027-03-19T13:50:00Z', `k:${kr2.id}`, 'C2 on KR2'); // 6: B, E
    await post(A, '2027-03-19T14:00:00Z', `k:${kr3.id}`, 'A3 on KR3'); // 7: D (owns O2), unsubscribed
    await post(D, '2027-03-19T14:10:00Z', `k:${kr1.id}`, 'D1 on KR1'); // 8: nobody
    await post(C, '2027-03-19T14:20:00Z', `k:${kr1.id}`, 'C3 on KR1'); // 9: D, unsubscribed
    // By hand: A follows 2, 3 → 2; B follows 3, 4, 6 → 3; C follows 4 → 1; E follows 5, 6 → 2;
    // D would follow 7, 9 but unsubscribed; the coach gets all 9, written by 4 people.

    // The day is not over: nothing is written yet.
    await beatAt('2027-03-19T23:00:00Z');
    expect(await digestRows()).toBe(0);
    // After midnight the day's digests are written, due at 08:00: five rows, none to D.
    await beatAt('2027-03-20T00:30:00Z');
    expect(await digestRows()).toBe(5);
    expect(
      (
        await api.db.query(
          `SELECT count(*)::int AS n FROM outbox_message WHERE kind = 'planning_digest' AND participant_id = $1`,
          [D.id],
        )
      )[0].n,
    ).toBe(0);
    expect(digests()).toHaveLength(0);
    // 08:00 is inside the quiet hours (20:00–09:30): the digests wait.
    await beatAt('2027-03-20T08:00:00Z');
    expect(digests()).toHaveLength(0);
    const waiting = await api.db.query(
      `SELECT deferred_reason AS reason, deferred_until AS until FROM outbox_message WHERE kind = 'planning_digest'`,
    );
    expect(waiting).toHaveLength(5);
    for (const row of waiting)
      expect(row).toEqual({ reason: 'quiet hours', until: new Date('2027-03-20T09:30:00Z') });
    await beatAt('2027-03-20T09:30:00Z');
    const day1 = digestsOf('2027-03-19');
    expect(day1.map((m) => m.to).sort()).toEqual([A.email, B.email, C.email, E.email, owner.email].sort());
    const of = (mails: ReceivedMail[], email: string) => mails.find((m) => m.to === email)!;
    expect(items(of(day1, A.email))).toBe(2);
    expect(items(of(day1, B.email))).toBe(3);
    expect(items(of(day1, C.email))).toBe(1);
    expect(items(of(day1, E.email))).toBe(2);
    expect(items(of(day1, owner.email))).toBe(9);
    // In each person's language, naming who wrote what on which draft.
    expect(of(day1, A.email).subject).toBe('OKR-luonnokset 2027-Q2: uutta keskustelussa');
    expect(words(of(day1, A.email))).toContain(
      'Åsa Lindqvist kommentoi luonnosta ”Members get answers quickly”: B1 on O1',
    );
    expect(of(day1, B.email).subject).toBe('OKR-utkasten för 2027-Q2: nytt i samtalet');
    expect(words(of(day1, B.email))).toContain(
      "Emma O'Brien kommenterade ”Publish the service promise”: C2 on KR2",
    );
    expect(of(day1, C.email).subject).toBe('Draft OKRs for 2027-Q2: new in the dialogue');
    expect(words(of(day1, C.email))).toContain(
      'Aino Väänänen commented on “Members get answers quickly”: A2 on O1',
    );
    expect(words(of(day1, C.email))).not.toContain('C1 on O1');
    expect(words(of(day1, E.email))).toContain('B2 on KR2');
    expect(words(of(day1, E.email))).not.toContain('A1 on O1');
    expect(words(of(day1, owner.email))).toMatch(/\b9\b/);
    expect(of(day1, owner.email).header('list-unsubscribe')).toBeUndefined();
    // The coach's way back is the console's planning page of the quarter.
    // (Handlebars writes the query's `=` as the entity `&#x3D;`, which a mail client reads as `=`.)
    expect(of(day1, owner.email).html.replace(/&#x3D;/g, '=')).toContain(
      `href="http://luotsi.test/app/pilots/${pilot.id}/planning?quarter=${q2.id}"`,
    );
    // A digest's link opens the person's own planning page.
    const aLink = PLANNING_LINK.exec(of(day1, A.email).html)![1];
    expect((await api.http.get(aLink).expect(200)).text).toContain('A2 on O1');

    // Day 2, 20 March: many entries, still one digest each.
    for (let i = 0; i < 6; i++)
      await post(B, `2027-03-20T13:${String(i * 5).padStart(2, '0')}:00Z`, `o:${o1.id}`, `B on O1 #${i + 1}`);
    await post(C, '2027-03-20T14:00:00Z', `k:${kr2.id}`, 'Clearer.', {
      action: 'rewording',
      proposedTitle: 'Publish the service promise by May',
    });
    // By hand: A 6 (B's six, after A's own on O1); C 6; B 1 (C's rewording, after B's own on KR2);
    // E 1 (owns KR2); the coach 7, written by 2 people.
    for (const at of ['00:30', '05:00', '09:30', '12:00', '18:00']) await beatAt(`2027-03-21T${at}:00Z`);
    const day2 = digestsOf('2027-03-20');
    expect(day2.map((m) => m.to).sort()).toEqual([A.email, B.email, C.email, E.email, owner.email].sort());
    expect(items(of(day2, A.email))).toBe(6);
    expect(items(of(day2, B.email))).toBe(1);
    expect(items(of(day2, C.email))).toBe(6);
    expect(items(of(day2, E.email))).toBe(1);
    expect(items(of(day2, owner.email))).toBe(7);
    expect(words(of(day2, E.email))).toContain(
      "Emma O'Brien ehdotti luonnokselle ”Publish the service promise” uutta muotoilua: ”Publish the service promise by May” – Clearer.",
    );
    expect(await digestRows()).toBe(10);

    // Day 3, 21 March: one comment by B on O1, followed by A and C. Each had three mails in the last seven
    // days (the planning mail on 18 March at 10:00, two digests): the cap of 3 holds theirs back until
    // 25 March 10:00, a week after the oldest; the coach, whom no cap limits, has it on 22 March.
    await post(B, '2027-03-21T13:00:00Z', `o:${o1.id}`, 'B on O1, day 3');
    for (const at of ['00:30', '08:00', '09:30', '15:00']) await beatAt(`2027-03-22T${at}:00Z`);
    const day3 = () => digestsOf('2027-03-21');
    expect(day3().map((m) => m.to)).toEqual([owner.email]);
    expect(items(day3()[0])).toBe(1);
    const capped = await api.db.query(
      `SELECT participant_id AS "participantId", deferred_reason AS reason, deferred_until AS until
       FROM outbox_message WHERE kind = 'planning_digest' AND step_key = 'planning-digest.2027-03-21'
         AND participant_id IS NOT NULL ORDER BY participant_id`,
    );
    expect(capped).toEqual(
      [A.id, C.id].sort().map((participantId) => ({
        participantId,
        reason: 'weekly cap',
        until: new Date('2027-03-25T10:00:00Z'),
      })),
    );
    // Nothing was written on 22 March: no digest of it, on any beat.
    for (const at of ['00:30', '09:30', '12:00']) await beatAt(`2027-03-23T${at}:00Z`);
    expect(await digestRows()).toBe(13);
    await beatAt('2027-03-25T10:00:00Z');
    expect(
      day3()
        .map((m) => m.to)
        .sort(),
    ).toEqual([A.email, C.email, owner.email].sort());
    expect(items(of(day3(), A.email))).toBe(1);

    // In all: at most one digest a day per person, and never one to D.
    const perPersonDay = new Map<string, number>();
    for (const m of digests()) {
      const key = `${m.to} ${digestDay(m)}`;
      perPersonDay.set(key, (perPersonDay.get(key) ?? 0) + 1);
    }
    expect(Math.max(...perPersonDay.values())).toBe(1);
    expect(digests().filter((m) => m.to === D.email)).toEqual([]);
    expect(digests()).toHaveLength(13);
  });
});
