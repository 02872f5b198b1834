import { createHash } from 'node:crypto';
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

const DAY = 24 * 3600 * 1000;
/** A planning link as the app writes it with `PUBLIC_BASE_URL=http://luotsi.test`. */
const PLANNING_LINK = /http:\/\/luotsi\.test(\/p\/p_[A-Za-z0-9_-]{43})/;

interface Person {
  id: string;
  email: string;
  name: string;
  locale: 'fi' | 'sv' | 'en';
}

/** The step of a mail from its natural key (`{quarter}.{step}.p{participant}`). */
const stepOf = (mail: ReceivedMail) => mail.header('x-luotsi-message')!.split('.')[1];
const linkIn = (mail: ReceivedMail) => {
  const found = PLANNING_LINK.exec(mail.html);
  if (!found) throw new Error(`no planning link in "${mail.subject}"`);
  return found[1];
};
/** What a page says, without its tags (and with its entities as the browser shows them). */
const textOf = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/**
 * The planning dialogue, end to end on the test clock with the real worker and a real SMTP server: the
 * window opens two weeks before the next quarter, three participants (fi, sv, en) take part through
 * their mailed links, the coach accepts a rewording and an offer to own, and at the quarter's start the
 * drafts lock: the kickoff links to the final set, and an old link refuses a change with a friendly page.
 */
describe('the planning dialogue on the next quarter’s draft OKRs', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  // Wednesday 10 March 2027, noon UTC: three weeks before 2027-Q1 ends.
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

  /** A beat of the worker each day at noon UTC until `day` (inclusive); the clock ends a day after it. */
  const tickUntil = async (day: string) => {
    while (clock.now().toISOString().slice(0, 10) <= day) {
      await worker.tickAndDrain();
      clock.advance(DAY);
    }
  };

  /** A fresh token: the test clock runs past a token's lifetime. */
  const coach = async () =>
    bearer(
      (
        await api.http
          .post('/api/v1/auth/login')
          .send({ email: owner.email, password: 'correct horse battery staple' })
          .expect(200)
      ).body.accessToken,
    );

  it('opens, takes comments through mailed links, closes the loop, and locks at the quarter’s start', async () => {
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      name: 'Jäsenpalvelut',
      levels: ['staff'],
      startQuarter: '2027-Q1',
      quarterCount: 2,
    });
    // A second pilot without drafts for its next quarter: its planning step mails nobody.
    const quiet = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['staff'],
      startQuarter: '2027-Q1',
      quarterCount: 2,
    });
    const people: Person[] = [];
    for (const [email, name, locale] of [
      ['aino@example.fi', 'Aino Väänänen', 'fi'],
      ['asa@example.se', 'Åsa Lindqvist', 'sv'],
      ['emma@example.co.uk', "Emma O'Brien", 'en'],
    ] as const) {
      const created = await api.http
        .post(`/api/v1/pilots/${pilot.id}/participants`)
        .set(auth)
        .send({ email, name, locale, level: 'staff', timeZone: 'UTC' })
        .expect(201);
      people.push({ id: created.body.id, email, name, locale });
    }
    await api.http
      .post(`/api/v1/pilots/${quiet.id}/participants`)
      .set(auth)
      .send({
        email: 'quiet@example.fi',
        name: 'Olli Hiljainen',
        locale: 'fi',
        level: 'staff',
        timeZone: 'UTC',
      })
      .expect(201);
    const [aino, asa, emma] = people;
    for (const p of [pilot, quiet]) await api.http.post(`/api/v1/pilots/${p.id}/start`).set(auth).expect(200);
    const quarters = (await api.http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(auth).expect(200)).body;
    const [q1, q2] = quarters as { id: string; label: string; state: string }[];
    expect([q1.label, q1.state, q2.label, q2.state]).toEqual(['2027-Q1', 'active', '2027-Q2', 'upcoming']);

    // The coach drafts the next quarter's OKRs: the OKRs of its upcoming quarter.
    const draft = await api.http
      .post(`/api/v1/quarters/${q2.id}/objectives`)
      .set(auth)
      .send({
        title: 'Members get answers quickly',
        keyResults: [
          {
            title: 'Answer emails faster',
            kind: 'committed',
            measure: 'metric',
            start: 40,
            target: 80,
            unit: '%',
          },
          { title: 'Publish the new service promise', kind: 'aspirational', measure: 'binary' },
        ],
      })
      .expect(201);
    const objectiveId: string = draft.body.id;
    const [kr1, kr2] = draft.body.keyResults as { id: string; title: string }[];

    // The planning step is Q1's last day (31 March) minus 13: 18 March, at 10:00.
    await tickUntil('2027-03-17');
    expect(smtp.received.filter((m) => stepOf(m) === 'planning-open')).toEqual([]);
    await tickUntil('2027-03-18');
    const planningMails = smtp.received.filter((m) => stepOf(m) === 'planning-open');
    expect(planningMails.map((m) => m.to).sort()).toEqual(
      ['aino@example.fi', 'asa@example.se', 'emma@example.co.uk'].sort(),
    );
    const mailTo = (p: Person) => planningMails.find((m) => m.to === p.email)!;
    expect(mailTo(aino).subject).toBe('Neljänneksen 2027-Q2 OKR-luonnokset odottavat näkemystäsi');
    expect(mailTo(asa).subject).toBe('OKR-utkasten för 2027-Q2 väntar på dina synpunkter');
    expect(mailTo(emma).subject).toBe('The draft OKRs for 2027-Q2 are waiting for your view');
    expect(mailTo(emma).text).toContain('This is a dialogue, not a survey');
    const links = Object.fromEntries(people.map((p) => [p.email, linkIn(mailTo(p))]));
    expect(new Set(Object.values(links)).size).toBe(3);
    // Each link's token is stored only as its SHA-256.
    for (const link of Object.values(links)) {
      const token = link.slice('/p/'.length);
      const hash = createHash('sha256').update(token, 'utf8').digest();
      const rows = await api.db.query(
        `SELECT participant_id, quarter_id FROM planning_token WHERE token_hash = $1`,
        [hash],
      );
      expect(rows).toEqual([{ participant_id: expect.any(String), quarter_id: q2.id }]);
    }
    const dump = JSON.stringify(await api.db.query(`SELECT * FROM planning_token`));
    for (const link of Object.values(links)) expect(dump).not.toContain(link.slice('/p/'.length));

    // Aino opens her page in Finnish: the drafts, the coach's checklist, and that names show.
    const ainoPage = await api.http.get(links[aino.email]).expect(200);
    const ainoText = textOf(ainoPage.text);
    expect(ainoText).toContain('OKR-suunnittelu');
    expect(ainoText).toContain('Tämä on keskustelu, ei kysely');
    expect(ainoText).toContain('Members get answers quickly');
    expect(ainoText).toContain('Answer emails faster');
    expect(ainoText).toContain('Kolmesta viiteen avaintulosta tavoitetta kohden.');
    expect(ainoText).toContain('Sitova');
    expect(ainoText).toContain('Kunnianhimoinen');

    // A comment without text: the page again (422), in Finnish, with the error at the field.
    const empty = await api.http
      .post(links[aino.email])
      .type('form')
      .send({ lang: 'fi', target: `o:${objectiveId}`, action: 'comment', body: '  ' })
      .expect(422);
    expect(textOf(empty.text)).toContain('Kirjoita kommentti.');
    expect(empty.text).toContain(`href="#o-${objectiveId}-body"`);
    // A NUL byte cannot be stored: refused (the input guard's 422, an HTML page), nothing stored.
    const nul = await api.http
      .post(links[aino.email])
      .type('form')
      .send({ lang: 'fi', target: `o:${objectiveId}`, action: 'comment', body: 'a\u0000b' })
      .expect(422);
    expect(nul.headers['content-type']).toMatch(/^text\/html/);
    expect(await api.db.query(`SELECT id FROM planning_entry`)).toEqual([]);

    // Three people take part: a comment (fi), a rewording (sv), an offer to own (en). Each post redirects
    // back to the page (POST-redirect-GET).
    // Each an hour after the one before, as people answer at different times.
    const post = async (p: Person, values: Record<string, string>) => {
      clock.advance(3600 * 1000);
      const res = await api.http
        .post(links[p.email])
        .type('form')
        .send({ lang: p.locale, ...values })
        .expect(303);
      expect(res.headers.location).toMatch(
        new RegExp(`^${links[p.email]}\\?lang=${p.locale}&saved=1#entry-[0-9a-f-]{36}$`),
      );
      return res.headers.location.split('#entry-')[1] as string;
    };
    const comment = await post(aino, {
      target: `o:${objectiveId}`,
      action: 'comment',
      body: 'Voisimmeko mitata myös puhelut?',
    });
    const rewording = await post(asa, {
      target: `k:${kr1.id}`,
      action: 'rewording',
      proposedTitle: 'Answer 80 % of member emails within two working days',
      body: 'Tydligare mål.',
    });
    const volunteer = await post(emma, { target: `k:${kr1.id}`, action: 'volunteer', body: '' });

    // Everyone in the pilot sees what was said, signed.
    const seen = textOf((await api.http.get(`${links[aino.email]}?lang=fi&saved=1`).expect(200)).text);
    expect(seen).toContain('Kiitos, tallennettu.');
    expect(seen).toContain('Aino Väänänen (sinä) kommentoi');
    expect(seen).toContain('Voisimmeko mitata myös puhelut?');
    expect(seen).toContain(
      'Åsa Lindqvist ehdottaa muotoilua: Answer 80 % of member emails within two working days',
    );
    expect(seen).toContain("Emma O'Brien voi ottaa tämän vastuulleen");

    // Åsa edits her own proposal while the window is open; she cannot edit Aino's comment.
    await post(asa, {
      action: 'edit',
      entryId: rewording,
      proposedTitle: 'Answer 80 % of member emails within two days',
      body: 'Tydligare mål, kortare.',
    });
    const notHers = await api.http
      .post(links[asa.email])
      .type('form')
      .send({ lang: 'sv', action: 'edit', entryId: comment, body: 'Ändrat' })
      .expect(422);
    expect(textOf(notHers.text)).toContain('Det här kan inte längre ändras.');

    // The coach reads the drafts with the dialogue.
    let token = await coach();
    const planning = await api.http.get(`/api/v1/quarters/${q2.id}/planning`).set(token).expect(200);
    expect(planning.body).toMatchObject({
      quarterId: q2.id,
      quarterLabel: '2027-Q2',
      open: true,
      closesOn: '2027-03-31',
    });
    const [objective] = planning.body.objectives;
    expect(objective.entries).toEqual([
      expect.objectContaining({
        id: comment,
        kind: 'comment',
        authorName: 'Aino Väänänen',
        participantId: aino.id,
        body: 'Voisimmeko mitata myös puhelut?',
        status: 'open',
      }),
    ]);
    expect(objective.keyResults[0].entries).toEqual([
      expect.objectContaining({
        id: rewording,
        kind: 'rewording',
        participantId: asa.id,
        proposedTitle: 'Answer 80 % of member emails within two days',
        body: 'Tydligare mål, kortare.',
      }),
      expect.objectContaining({ id: volunteer, kind: 'volunteer', participantId: emma.id, body: '' }),
    ]);
    expect(objective.keyResults[1].entries).toEqual([]);

    // The coach closes the loop: the rewording and the owner accepted, the comment resolved.
    const accepted = await api.http
      .post(`/api/v1/planning-entries/${rewording}/accept`)
      .set(token)
      .expect(200);
    expect(accepted.body).toMatchObject({ id: rewording, status: 'accepted' });
    await api.http.post(`/api/v1/planning-entries/${volunteer}/accept`).set(token).expect(200);
    const refused = await api.http.post(`/api/v1/planning-entries/${comment}/accept`).set(token).expect(422);
    expect(refused.body.errors).toEqual([
      { field: 'kind', reason: 'only a rewording or an offer to own is accepted' },
    ]);
    await api.http.post(`/api/v1/planning-entries/${comment}/resolve`).set(token).expect(200);
    const again = await api.http.post(`/api/v1/planning-entries/${comment}/resolve`).set(token).expect(409);
    expect(again.body).toMatchObject({ status: 409, entryStatus: 'resolved' });
    const kr = await api.http.get(`/api/v1/key-results/${kr1.id}`).set(token).expect(200);
    expect(kr.body).toMatchObject({
      title: 'Answer 80 % of member emails within two days',
      ownerId: emma.id,
    });
    const after = (await api.http.get(`/api/v1/quarters/${q2.id}/planning`).set(token).expect(200)).body;
    expect(after.objectives[0].keyResults[0]).toMatchObject({
      title: 'Answer 80 % of member emails within two days',
      previousTitles: ['Answer emails faster'],
      ownerName: "Emma O'Brien",
    });
    expect(after.objectives[0].entries[0].status).toBe('resolved');
    // Accepted entries cannot be edited by their author any more.
    const closedEntry = await api.http
      .post(links[asa.email])
      .type('form')
      .send({ lang: 'sv', action: 'edit', entryId: rewording, proposedTitle: 'Något annat' })
      .expect(422);
    expect(textOf(closedEntry.text)).toContain('Det här kan inte längre ändras.');

    // The quiet pilot's planning step went to nobody: it has no drafts.
    expect(smtp.received.filter((m) => m.to === 'quiet@example.fi').map(stepOf)).not.toContain(
      'planning-open',
    );

    // At the quarter's start (1 April) the drafts lock and become 2027-Q2's OKRs.
    await tickUntil('2027-04-01');
    token = await coach();
    const nowQuarters = (await api.http.get(`/api/v1/pilots/${pilot.id}/quarters`).set(token).expect(200))
      .body;
    expect(nowQuarters.map((q: { state: string }) => q.state)).toEqual(['closed', 'active']);
    const final = await api.http.get(`/api/v1/key-results/${kr1.id}`).set(token).expect(200);
    expect(final.body).toMatchObject({
      quarterId: q2.id,
      title: 'Answer 80 % of member emails within two days',
      ownerId: emma.id,
    });
    expect(
      (await api.http.get(`/api/v1/key-results/${kr2.id}`).set(token).expect(200)).body.ownerId,
    ).toBeNull();
    const locked = await api.http.get(`/api/v1/quarters/${q2.id}/planning`).set(token).expect(200);
    expect(locked.body.open).toBe(false);
    const lateRewording = await api.http
      .post(`/api/v1/planning-entries/${rewording}/accept`)
      .set(token)
      .expect(409);
    expect(lateRewording.body.detail ?? lateRewording.body.title).toMatch(/started|accepted/);

    // The kickoff of 2027-Q2 links each person to the final set, read-only.
    const kickoffs = smtp.received.filter(
      (m) => stepOf(m) === 'kickoff' && m.header('x-luotsi-message')!.startsWith(q2.id),
    );
    expect(kickoffs.map((m) => m.to).sort()).toEqual(people.map((p) => p.email).sort());
    const emmaKickoff = kickoffs.find((m) => m.to === emma.email)!;
    expect(emmaKickoff.text).toContain("The quarter's OKRs came out of the dialogue on the drafts.");
    const finalLink = linkIn(emmaKickoff);
    expect(finalLink).not.toBe(links[emma.email]);
    const finalPage = await api.http.get(finalLink).expect(200);
    const finalText = textOf(finalPage.text);
    expect(finalText).toContain('Answer 80 % of member emails within two days');
    expect(finalText).toContain("Owner: Emma O'Brien");
    expect(finalText).toContain('Earlier wording: Answer emails faster');
    expect(finalText).toContain('The dialogue is closed');
    expect(finalPage.text).not.toContain('<form');

    // An old planning link still shows the set, but a change through it is refused with a friendly page,
    // in the person's language (or the page's, when the post says).
    const oldPage = await api.http.get(links[aino.email]).expect(200);
    expect(oldPage.text).not.toContain('<form');
    for (const [person, words] of [
      [aino, 'Suunnittelu on päättynyt'],
      [asa, 'Planeringen har stängt'],
      [emma, 'The planning has closed'],
    ] as const) {
      const late = await api.http
        .post(links[person.email])
        .type('form')
        .send({ lang: person.locale, target: `o:${objectiveId}`, action: 'comment', body: 'Myöhässä' })
        .expect(410);
      expect(late.headers['content-type']).toMatch(/^text\/html/);
      expect(textOf(late.text)).toContain(words);
    }
    const lateEdit = await api.http
      .post(links[asa.email])
      .type('form')
      .send({ action: 'edit', entryId: rewording, proposedTitle: 'X' })
      .expect(410);
    expect(textOf(lateEdit.text)).toContain('Planeringen har stängt');
    // Nothing more was stored.
    const stored = await api.db.query(
      `SELECT kind, count(*)::int AS n FROM planning_entry WHERE quarter_id = $1 GROUP BY kind ORDER BY kind`,
      [q2.id],
    );
    expect(stored).toEqual([
      { kind: 'comment', n: 1 },
      { kind: 'rewording', n: 1 },
      { kind: 'volunteer', n: 1 },
    ]);
    // The dialogue's record for later reports: who said what on what, when (on the app's clock: the posts
    // and the decisions were on 19 March), and what the coach did.
    const record = await api.db.query(
      `SELECT e.kind, e.participant_id, e.key_result_id, e.status, to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS written,
              to_char(e.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS closed
       FROM planning_entry e WHERE e.quarter_id = $1 ORDER BY e.created_at`,
      [q2.id],
    );
    expect(record).toEqual([
      {
        kind: 'comment',
        participant_id: aino.id,
        key_result_id: null,
        status: 'resolved',
        written: '2027-03-19',
        closed: '2027-03-19',
      },
      {
        kind: 'rewording',
        participant_id: asa.id,
        key_result_id: kr1.id,
        status: 'accepted',
        written: '2027-03-19',
        closed: '2027-03-19',
      },
      {
        kind: 'volunteer',
        participant_id: emma.id,
        key_result_id: kr1.id,
        status: 'accepted',
        written: '2027-03-19',
        closed: '2027-03-19',
      },
    ]);
    const revisions = await api.db.query(
      `SELECT key_result_id, previous_title, new_title, entry_id FROM planning_revision WHERE quarter_id = $1`,
      [q2.id],
    );
    expect(revisions).toEqual([
      {
        key_result_id: kr1.id,
        previous_title: 'Answer emails faster',
        new_title: 'Answer 80 % of member emails within two days',
        entry_id: rewording,
      },
    ]);
  });
});
