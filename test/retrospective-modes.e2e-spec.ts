import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  Workspace,
} from './support/fixtures';
import { killAll, waitFor } from './support/processes';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const LINK = /http:\/\/luotsi\.test(\/r\/r_[A-Za-z0-9_-]{43})/;
const PEOPLE = [
  { email: 'aino.modes@example.fi', name: 'Aino Virtanen', locale: 'fi' },
  { email: 'eero.modes@example.fi', name: 'Eero Mäkinen', locale: 'fi' },
  { email: 'asa.modes@example.se', name: 'Åsa Lindqvist', locale: 'sv' },
  { email: 'emma.modes@example.co.uk', name: 'Emma Clarke', locale: 'en' },
  { email: 'oliver.modes@example.co.uk', name: 'Oliver Brown', locale: 'en' },
  { email: 'mia.modes@example.co.uk', name: 'Mia Jones', locale: 'en' },
] as const;
type Person = (typeof PEOPLE)[number];
type Question = { key: string; type: string; options?: { key: string }[] };

/** A complete, valid answer set for the built-in questions, as a form would post it. */
function fullAnswers(questions: Question[], text: string) {
  return Object.fromEntries(
    questions.map((q) => [
      q.key,
      q.type === 'likert5'
        ? '4'
        : q.type === 'single_choice'
          ? q.options![0].key
          : q.type === 'free_text'
            ? text
            : '7',
    ]),
  );
}

describe('anonymity modes: who the coach sees, who nobody else sees', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  const clock = new ManualClock(new Date('2027-03-17T10:00:00Z'));
  const env = () => ({
    SMTP_URL: smtp.url,
    PUBLIC_BASE_URL: 'http://luotsi.test',
    MAIL_RETRY_BASE_MS: '10',
    PARTICIPANT_PAGE_RATE_PER_MINUTE: '100000',
  });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    api = await startApi({ clock, env: env() });
    worker = await startWorker({ ...api.env, ...env() }, clock);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.close();
    killAll();
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    (await api.db.query(sql, params))[0].n;
  const outboxRows = (quarterId: string) =>
    count(`SELECT count(*)::int AS n FROM outbox_message WHERE quarter_id = $1`, [quarterId]);

  interface Setup {
    owner: Workspace;
    coach: { token: string };
    sponsor: { token: string };
    quarterId: string;
    ids: Record<string, string>;
    run: { id: string; questions: Question[] };
    links: Record<string, string>;
  }

  /** A workspace of its own, a running pilot of the six people, and a run in `anonymity` with its links. */
  async function runIn(anonymity: string): Promise<Setup> {
    const owner = await signUp(api.http);
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const coach = await addMember(api.http, owner, 'coach');
    const sponsor = await addMember(api.http, owner, 'sponsor', [organization.id]);
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['staff', 'management'],
      startQuarter: '2027-Q1',
    });
    const ids: Record<string, string> = {};
    for (const p of PEOPLE) {
      ids[p.email] = (
        await api.http
          .post(`/api/v1/pilots/${pilot.id}/participants`)
          .set(auth)
          .send({ ...p, level: 'staff' })
          .expect(201)
      ).body.id;
    }
    const started = await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const quarterId = started.body.currentQuarter.id as string;
    const before = smtp.received.length;
    const run = await api.http
      .post(`/api/v1/quarters/${quarterId}/retrospectives`)
      .set(auth)
      .send({ anonymity })
      .expect(201);
    await worker.tickAndDrain();
    const links: Record<string, string> = {};
    // The run's invitations (a pilot started late also sends its kickoff on the start day: not these).
    for (const mail of smtp.received.slice(before).filter((m) => LINK.test(m.text)))
      links[mail.to] = LINK.exec(mail.text)![1];
    expect(Object.keys(links).sort()).toEqual(PEOPLE.map((p) => p.email).sort());
    return { owner, coach, sponsor, quarterId, ids, run: run.body, links };
  }

  async function answer(setup: Setup, person: Person) {
    await api.http
      .post(setup.links[person.email])
      .type('form')
      .send(fullAnswers(setup.run.questions, `Weekly rhythm helped ${person.locale} team`))
      .expect(200);
  }

  /** Each person's email, name and id found in `text`. */
  const peopleIn = (text: string, ids: Record<string, string>) =>
    PEOPLE.flatMap((p) => [p.email, p.name, ids[p.email]]).filter((secret) => text.includes(secret));

  it('named: the coach reads each answer with its name, a sponsor never; reports and share links carry no names', async () => {
    const setup = await runIn('named');
    const { run, ids } = setup;
    const answered = PEOPLE.slice(0, 5);
    for (const person of answered) await answer(setup, person);
    const freeText = run.questions.find((q) => q.type === 'free_text')!.key;

    for (const token of [setup.owner.token, setup.coach.token]) {
      const res = await api.http
        .get(`/api/v1/retrospectives/${run.id}/responses`)
        .set(bearer(token))
        .expect(200);
      expect(res.body).toMatchObject({ total: 5, limit: 50, offset: 0 });
      // By name, letter by letter (Å, Ä and Ö after Z, as in Finnish and Swedish).
      expect(res.body.items.map((i: { name: string }) => i.name)).toEqual(answered.map((p) => p.name).sort());
      for (const item of res.body.items) {
        const person = PEOPLE.find((p) => p.name === item.name)!;
        expect(item).toEqual({
          participantId: ids[person.email],
          name: person.name,
          level: 'staff',
          locale: person.locale,
          submittedOn: '2027-03-17',
          answers: expect.objectContaining({ [freeText]: `Weekly rhythm helped ${person.locale} team` }),
        });
      }
    }
    // Paged like other lists.
    const page = await api.http
      .get(`/api/v1/retrospectives/${run.id}/responses?limit=2&offset=4`)
      .set(bearer(setup.coach.token))
      .expect(200);
    expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 4 });
    expect(page.body.items).toHaveLength(1);

    // Who has not answered: the sixth, and only while they have not.
    const open = await api.http
      .get(`/api/v1/retrospectives/${run.id}/non-responders`)
      .set(bearer(setup.coach.token))
      .expect(200);
    expect(open.body).toEqual({
      items: [
        {
          participantId: ids[PEOPLE[5].email],
          name: PEOPLE[5].name,
          email: PEOPLE[5].email,
          level: 'staff',
          unsubscribed: false,
        },
      ],
      total: 1,
      limit: 50,
      offset: 0,
    });

    // A sponsor of the organization: no names, no people, by any of these routes; the counts only.
    const sponsor = bearer(setup.sponsor.token);
    await api.http.get(`/api/v1/retrospectives/${run.id}/responses`).set(sponsor).expect(403);
    await api.http.get(`/api/v1/retrospectives/${run.id}/non-responders`).set(sponsor).expect(403);
    await api.http.post(`/api/v1/retrospectives/${run.id}/remind`).set(sponsor).send({}).expect(403);
    const seen = await api.http.get(`/api/v1/retrospectives/${run.id}`).set(sponsor).expect(200);
    expect(seen.body).toMatchObject({ invited: 6, responded: 5 });
    expect(peopleIn(JSON.stringify(seen.body), ids)).toEqual([]);

    // Closing builds the learning report: no name, address or person's id in any format or share link.
    await api.http.post(`/api/v1/retrospectives/${run.id}/close`).set(bearer(setup.owner.token)).expect(200);
    const coach = bearer(setup.coach.token);
    await waitFor(
      async () =>
        (await api.http.get(`/api/v1/quarters/${setup.quarterId}/learning-report`).set(coach)).body.status ===
        'ready',
      60_000,
      () => 'the learning report was never built',
    );
    const report = await api.http
      .get(`/api/v1/quarters/${setup.quarterId}/learning-report`)
      .set(coach)
      .expect(200);
    // It was built from these answers, only without the people.
    expect(report.body.content.response).toMatchObject({ count: 5 });
    const outputs: Record<string, string> = { json: JSON.stringify(report.body) };
    for (const format of ['html', 'csv', 'json']) {
      outputs[`coach.${format}`] = (
        await api.http
          .get(`/api/v1/quarters/${setup.quarterId}/learning-report.${format}`)
          .set(coach)
          .buffer(true)
          .parse((res, done) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
            res.on('end', () => done(null, body));
          })
          .expect(200)
      ).body as string;
      outputs[`sponsor.${format}`] = (
        await api.http
          .get(`/api/v1/quarters/${setup.quarterId}/learning-report.${format}`)
          .set(sponsor)
          .buffer(true)
          .parse((res, done) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
            res.on('end', () => done(null, body));
          })
          .expect(200)
      ).body as string;
    }
    for (const audience of ['coach', 'sponsor']) {
      const share = await api.http
        .post(`/api/v1/learning-reports/${report.body.id}/shares`)
        .set(coach)
        .send({ audience })
        .expect(201);
      const path = new URL(share.body.url).pathname;
      for (const suffix of ['', '.csv', '.json']) {
        const res = await api.http
          .get(`${path}${suffix}`)
          .buffer(true)
          .parse((r, done) => {
            let body = '';
            r.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
            r.on('end', () => done(null, body));
          });
        expect({ audience, suffix, status: res.status }).toEqual({ audience, suffix, status: 200 });
        outputs[`share.${audience}${suffix}`] = res.body as string;
      }
    }
    for (const [name, text] of Object.entries(outputs))
      expect({ name, people: peopleIn(text, ids) }).toEqual({ name, people: [] });
  });

  it('confidential: no names with answers, but the coach sees who has not answered and reminds exactly those chosen', async () => {
    const setup = await runIn('confidential');
    const { run, ids, quarterId } = setup;
    const coach = bearer(setup.coach.token);
    const [aino, eero, asa, emma, oliver, mia] = PEOPLE;
    await answer(setup, aino);
    await answer(setup, eero);

    const refused = await api.http.get(`/api/v1/retrospectives/${run.id}/responses`).set(coach).expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.detail).toBe('Answers of a confidential run are never shown with names.');
    expect(peopleIn(JSON.stringify(refused.body), ids)).toEqual([]);

    // Exactly the four who have not answered, by name.
    const listed = await api.http
      .get(`/api/v1/retrospectives/${run.id}/non-responders`)
      .set(coach)
      .expect(200);
    const waiting = [asa, emma, oliver, mia];
    expect(listed.body.total).toBe(4);
    expect(listed.body.items).toEqual(
      [...waiting]
        .sort((x, y) => (x.name < y.name ? -1 : 1))
        .map((p) => ({
          participantId: ids[p.email],
          name: p.name,
          email: p.email,
          level: 'staff',
          unsubscribed: false,
        })),
    );
    // The level shown is the one frozen when the run opened, where the answer will count.
    await api.http
      .patch(`/api/v1/participants/${ids[asa.email]}`)
      .set(coach)
      .send({ level: 'management' })
      .expect(200);
    const moved = await api.http
      .get(`/api/v1/retrospectives/${run.id}/non-responders`)
      .set(coach)
      .expect(200);
    expect(moved.body.items.find((i: { email: string }) => i.email === asa.email).level).toBe('staff');
    const sponsor = bearer(setup.sponsor.token);
    await api.http.get(`/api/v1/retrospectives/${run.id}/non-responders`).set(sponsor).expect(403);
    await api.http
      .post(`/api/v1/retrospectives/${run.id}/remind`)
      .set(sponsor)
      .send({ participantIds: [ids[emma.email]] })
      .expect(403);

    // A responder among the chosen, someone not invited, a repeat, an empty list: 422, nothing queued.
    const rowsBefore = await outboxRows(quarterId);
    const mailBefore = smtp.received.length;
    const stranger = (await api.http.get('/api/v1/auth/me').set(coach).expect(200)).body.id as string;
    const bad = await api.http
      .post(`/api/v1/retrospectives/${run.id}/remind`)
      .set(coach)
      .send({ participantIds: [ids[emma.email], ids[aino.email], stranger, ids[emma.email]] })
      .expect(422);
    expect(bad.body.errors).toEqual([
      { field: 'participantIds[1]', reason: 'has already answered' },
      { field: 'participantIds[2]', reason: 'is not invited to this retrospective' },
      { field: 'participantIds[3]', reason: 'the same person as participantIds[0]' },
    ]);
    const empty = await api.http
      .post(`/api/v1/retrospectives/${run.id}/remind`)
      .set(coach)
      .send({ participantIds: [] })
      .expect(422);
    expect(empty.body.errors).toEqual([{ field: 'participantIds', reason: expect.any(String) }]);
    const malformed = await api.http
      .post(`/api/v1/retrospectives/${run.id}/remind`)
      .set(coach)
      .send({ participantIds: ['not-an-id'] })
      .expect(422);
    expect(malformed.body.errors[0].field).toBe('participantIds');
    await worker.tickAndDrain();
    expect(await outboxRows(quarterId)).toBe(rowsBefore);
    expect(smtp.received.length).toBe(mailBefore);

    // The chosen two get their reminder, and nobody else.
    const reminded = await api.http
      .post(`/api/v1/retrospectives/${run.id}/remind`)
      .set(coach)
      .send({ participantIds: [ids[emma.email], ids[mia.email]] })
      .expect(200);
    expect(reminded.body).toMatchObject({ reminded: 2, invited: 6, responded: 2 });
    await worker.tickAndDrain();
    const sent = smtp.received.slice(mailBefore);
    expect(sent.map((m) => m.to).sort()).toEqual([emma.email, mia.email].sort());
    for (const mail of sent) expect(LINK.test(mail.text)).toBe(true);
    const keys = await api.db.query(
      `SELECT key FROM outbox_message WHERE quarter_id = $1 AND kind = 'retrospective_reminder' ORDER BY key`,
      [quarterId],
    );
    expect(keys.map((k: { key: string }) => k.key)).toEqual(
      [ids[emma.email], ids[mia.email]].sort().map((id) => `${quarterId}.remind-2027031710.p${id}`),
    );

    // Posted again in the same hour: nothing new goes.
    const again = await api.http
      .post(`/api/v1/retrospectives/${run.id}/remind`)
      .set(coach)
      .send({ participantIds: [ids[mia.email]] })
      .expect(200);
    expect(again.body.reminded).toBe(0);

    // A reminder's link works: Emma answers and leaves the list.
    await api.http
      .post(LINK.exec(sent.find((m) => m.to === emma.email)!.text)![1])
      .type('form')
      .send(fullAnswers(run.questions, 'Clearer priorities'))
      .expect(200);
    const after = await api.http
      .get(`/api/v1/retrospectives/${run.id}/non-responders`)
      .set(coach)
      .expect(200);
    expect(after.body.items.map((i: { email: string }) => i.email).sort()).toEqual(
      [asa.email, oliver.email, mia.email].sort(),
    );

    // A whole-run reminder the same hour is its own step: everyone still waiting, the chosen included.
    const before = smtp.received.length;
    const everyone = await api.http.post(`/api/v1/retrospectives/${run.id}/remind`).set(coach).expect(200);
    expect(everyone.body).toMatchObject({ reminded: 3, responded: 3 });
    await worker.tickAndDrain();
    expect(
      smtp.received
        .slice(before)
        .map((m) => m.to)
        .sort(),
    ).toEqual([asa.email, oliver.email, mia.email].sort());
  });

  it('anonymous: counts only; neither answers nor non-responders by name, and no reminder by name', async () => {
    const setup = await runIn('anonymous');
    const { run, ids, quarterId } = setup;
    const coach = bearer(setup.coach.token);
    await answer(setup, PEOPLE[0]);
    await answer(setup, PEOPLE[1]);

    const responses = await api.http
      .get(`/api/v1/retrospectives/${run.id}/responses`)
      .set(bearer(setup.owner.token))
      .expect(409);
    expect(responses.body.detail).toMatch(/anonymous run shows counts only/);
    const nonResponders = await api.http
      .get(`/api/v1/retrospectives/${run.id}/non-responders`)
      .set(coach)
      .expect(409);
    expect(nonResponders.body.detail).toMatch(/^An anonymous run shows counts only/);
    const rowsBefore = await outboxRows(quarterId);
    const byName = await api.http
      .post(`/api/v1/retrospectives/${run.id}/remind`)
      .set(coach)
      .send({ participantIds: [ids[PEOPLE[2].email]] })
      .expect(409);
    expect(byName.body.detail).toMatch(/anonymous run shows counts only/);
    expect(await outboxRows(quarterId)).toBe(rowsBefore);
    for (const res of [responses, nonResponders, byName])
      expect(peopleIn(JSON.stringify(res.body), ids)).toEqual([]);

    // The counts stay visible, to the coach and the sponsor, with nothing about anyone in them.
    for (const token of [setup.coach.token, setup.sponsor.token]) {
      const view = await api.http.get(`/api/v1/retrospectives/${run.id}`).set(bearer(token)).expect(200);
      expect(view.body).toMatchObject({ anonymity: 'anonymous', invited: 6, responded: 2 });
      expect(view.body.responseRate).toBeCloseTo(2 / 6);
      expect(peopleIn(JSON.stringify(view.body), ids)).toEqual([]);
      const list = await api.http
        .get(`/api/v1/quarters/${quarterId}/retrospectives`)
        .set(bearer(token))
        .expect(200);
      expect(list.body).toEqual([expect.objectContaining({ invited: 6, responded: 2 })]);
      expect(peopleIn(JSON.stringify(list.body), ids)).toEqual([]);
    }

    // The whole-run reminder stays: it goes by the invitations' `used` flag and names nobody.
    const before = smtp.received.length;
    const reminded = await api.http.post(`/api/v1/retrospectives/${run.id}/remind`).set(coach).expect(200);
    expect(reminded.body).toMatchObject({ reminded: 4, responded: 2 });
    expect(peopleIn(JSON.stringify(reminded.body), ids)).toEqual([]);
    await worker.tickAndDrain();
    expect(
      smtp.received
        .slice(before)
        .map((m) => m.to)
        .sort(),
    ).toEqual(
      PEOPLE.slice(2)
        .map((p) => p.email)
        .sort(),
    );
  });
});
