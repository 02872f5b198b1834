import { Queue } from 'bullmq';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { QueueName, redisConnection } from '@luotsi/queue';
import { testEnvironment } from './support/api';
import { TestDatabase } from './support/database';
import { currentQuarter, deleteQueueKeys, joinMail, outboxRows, workerEnv } from './support/faults';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  participantCsv,
  signUp,
} from './support/fixtures';
import { AppProcess, freePort, killAll, spawnApp, waitFor } from './support/processes';
import { startSmtpServer, TestSmtpServer } from './support/smtp';

const PEOPLE = 300;
const WORKER_DOMAINS = ['w1.luotsi.test', 'w2.luotsi.test'];
const LINK = /http:\/\/luotsi\.test(\/r\/r_[A-Za-z0-9_-]{43})/;

const statusesOf = (responses: { status: number }[]) => responses.map((r) => r.status).sort();

/**
 * Scale-out: two API processes and two worker processes (each worker with its own cadence scheduler)
 * against one Postgres and one Redis, on the system clock. A coach's requests alternate between the
 * APIs and some arrive at both at once; participants answer through either. Every step is dispatched
 * once, every mail arrives once, every link takes one answer, and the report counts each answer once.
 */
describe('scale-out: two API and two worker processes', () => {
  let database: TestDatabase;
  let db: DataSource;
  let smtp: TestSmtpServer;
  let env: Record<string, string>;
  let apis: TestAgent[];
  const processes: AppProcess[] = [];

  beforeAll(async () => {
    const environment = await testEnvironment();
    database = environment.database;
    smtp = await startSmtpServer();
    env = { ...environment.env, PUBLIC_BASE_URL: 'http://luotsi.test' };
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();

    const ports = [await freePort(), await freePort()];
    const apiProcesses = ports.map((port) =>
      spawnApp('api', { ...env, PORT: String(port), LOG_LEVEL: 'warn' }),
    );
    // Each worker signs its Message-IDs with its own domain, so the SMTP log shows who sent what.
    const workers = WORKER_DOMAINS.map((domain) =>
      spawnApp('worker', { ...workerEnv(env, smtp.url), MAIL_FROM: `Luotsi <luotsi@${domain}>` }),
    );
    processes.push(...apiProcesses, ...workers);
    await Promise.all([
      ...apiProcesses.map((api, i) =>
        waitFor(
          async () => {
            const res = await fetch(`http://127.0.0.1:${ports[i]}/health`).catch(() => null);
            return res?.ok ?? false;
          },
          45_000,
          () => api.output().slice(-2000),
        ),
      ),
      ...workers.map((worker) => worker.waitForOutput(/ready \(concurrency \d+\)/, 45_000)),
    ]);
    apis = ports.map((port) => request(`http://127.0.0.1:${port}`));
  }, 120_000);

  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    killAll();
    await deleteQueueKeys(env.REDIS_URL, env.QUEUE_PREFIX);
    await db?.destroy();
    await smtp?.close();
    await database?.drop();
  });

  it('dispatches each step once, sends each mail once, takes each answer once, builds one report', async () => {
    const [a, b] = apis;
    const delivery = new Queue(QueueName.Delivery, {
      connection: redisConnection(env.REDIS_URL),
      prefix: env.QUEUE_PREFIX,
    });
    expect(await delivery.getWorkersCount()).toBe(2);
    await delivery.close();

    // The coach plans through one API, imports and tunes the cadence through the other.
    const owner = await signUp(a);
    const auth = bearer(owner.token);
    const quarter = currentQuarter();
    const organization = await createOrganization(b, owner.token, { timeZone: 'UTC', defaultLocale: 'en' });
    const rollout = await createRollout(a, owner.token, organization.id);
    const pilot = await createPilot(b, owner.token, rollout.id, { startQuarter: quarter.label });
    const imported = await a
      .post(`/api/v1/pilots/${pilot.id}/participants/import`)
      .set(auth)
      .set('Content-Type', 'text/csv; charset=utf-8')
      .send(Buffer.from(participantCsv(PEOPLE, { domain: 'scale.example' }), 'utf8'))
      .expect(200);
    expect(imported.body.addedToPilot).toBe(PEOPLE);
    const today = {
      anchor: 'start',
      offsetDays: quarter.offsetDays,
      sendTime: '00:00',
      audience: 'participants',
    };
    await b
      .put(`/api/v1/rollouts/${rollout.id}/cadence`)
      .set(auth)
      .send({
        steps: [
          { ...today, key: 'kickoff', kind: 'prompt', template: 'prompt-kickoff' },
          {
            ...today,
            key: 'retrospective-open',
            kind: 'retrospective_open',
            template: 'retrospective-invitation',
          },
        ],
        weeklyEmailCap: 50,
        quietHours: { start: '00:00', end: '00:00' },
      })
      .expect(200);

    // Starting the pilot through both APIs at once: one start, one refusal.
    const starts = await Promise.all(
      [a, b].map((api) => api.post(`/api/v1/pilots/${pilot.id}/start`).set(auth)),
    );
    expect(statusesOf(starts)).toEqual([200, 409]);
    const quarterId = starts.find((r) => r.status === 200)!.body.currentQuarter.id as string;

    // Both steps are due now; both workers' schedulers race to dispatch them.
    let settled = 0;
    await waitFor(
      async () => {
        const rows = await outboxRows(db, quarterId);
        settled = rows.filter((r) => r.status === 'sent').length;
        return rows.length === 2 * PEOPLE && settled === 2 * PEOPLE;
      },
      90_000,
      () => `${settled} of ${2 * PEOPLE} sent; worker: ${processes[2].output().slice(-1500)}`,
    );
    const dispatches = await db.query(
      `SELECT step_key AS "stepKey", recipients FROM cadence_dispatch WHERE quarter_id = $1 ORDER BY step_key`,
      [quarterId],
    );
    expect(dispatches).toEqual([
      { stepKey: 'kickoff', recipients: PEOPLE },
      { stepKey: 'retrospective-open', recipients: PEOPLE },
    ]);
    const runs = await a.get(`/api/v1/quarters/${quarterId}/retrospectives`).set(auth).expect(200);
    expect(runs.body).toHaveLength(1);
    const run = runs.body[0];
    expect(run).toMatchObject({ state: 'open', invited: PEOPLE });

    // Both workers sent, and together every row exactly once.
    const rows = await outboxRows(db, quarterId);
    const bySender = WORKER_DOMAINS.map((domain) => {
      const own = smtp.received.filter((mail) => mail.messageId.endsWith(`@${domain}>`));
      return { own: own.length, join: joinMail(rows, own, domain) };
    });
    for (const { own } of bySender) expect(own).toBeGreaterThan(0);
    expect(bySender.flatMap(({ join }) => join.duplicated)).toEqual([]);
    const sentBy = new Map<string, number>();
    for (const { join } of bySender)
      for (const [id, copies] of join.copies) sentBy.set(id, (sentBy.get(id) ?? 0) + copies);
    expect([...sentBy.values()].filter((copies) => copies !== 1)).toEqual([]);
    expect(sentBy.size).toBe(2 * PEOPLE);
    expect(smtp.received).toHaveLength(2 * PEOPLE);

    // Participants answer through either API: 60 alternate; 20 submit to both at the same moment.
    const links = smtp.received.flatMap((mail) => LINK.exec(mail.text)?.[1] ?? []);
    expect(new Set(links).size).toBe(PEOPLE);
    const form = await a.get(links[0]).expect(200);
    expect(form.text).toContain('<form');
    const details = await a.get(`/api/v1/retrospectives/${run.id}`).set(auth).expect(200);
    const answers = Object.fromEntries(
      (details.body.questions as { key: string; type: string; options?: { key: string }[] }[]).map((q) => [
        q.key,
        q.type === 'likert5'
          ? '4'
          : q.type === 'single_choice'
            ? q.options![0].key
            : q.type === 'free_text'
              ? 'Focus.'
              : '7',
      ]),
    );
    const alternate = await Promise.all(
      links.slice(0, 60).map((link, i) => apis[i % 2].post(link).type('form').send(answers)),
    );
    expect(new Set(alternate.map((r) => r.status))).toEqual(new Set([200]));
    const raced = await Promise.all(
      links
        .slice(60, 80)
        .map((link) => Promise.all([a, b].map((api) => api.post(link).type('form').send(answers)))),
    );
    for (const pair of raced) expect(statusesOf(pair)).toEqual([200, 409]);
    // Anonymous answers wait in pending_answer until they move in batches of at least k.
    const stored = await db.query(
      `SELECT (SELECT count(*) FROM retrospective_response WHERE retrospective_id = $1)::int
              + (SELECT count(*) FROM pending_answer WHERE retrospective_id = $1)::int AS n`,
      [run.id],
    );
    expect(stored[0].n).toBe(80);

    // Closing through both APIs at once: one close; the report, requested through both, counts 80.
    const closes = await Promise.all(
      [a, b].map((api) => api.post(`/api/v1/retrospectives/${run.id}/close`).set(auth)),
    );
    expect(statusesOf(closes)).toEqual([200, 409]);
    const requests = await Promise.all(
      [a, b].map((api) => api.post(`/api/v1/quarters/${quarterId}/learning-report`).set(auth)),
    );
    expect(statusesOf(requests)).toEqual([202, 202]);
    let report: { status: string; content: { response: { count: number; of: number } } | null } | undefined;
    await waitFor(
      async () => {
        report = (await b.get(`/api/v1/quarters/${quarterId}/learning-report`).set(auth)).body;
        return report?.status === 'ready';
      },
      60_000,
      () => JSON.stringify(report),
    );
    expect(report!.content!.response).toMatchObject({ count: 80, of: PEOPLE });
    const reportRows = await db.query(
      `SELECT count(*)::int AS n FROM learning_report WHERE quarter_id = $1`,
      [quarterId],
    );
    expect(reportRows[0].n).toBe(1);
  }, 240_000);
});
