import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { ManualClock, trimQuote, type LearningReportContent } from '@luotsi/domain';
import { JobName, JobProducer, JOBS, QueueName, queueConnection } from '@luotsi/queue';
import { AppConfig } from '@luotsi/config';
import { DeliveryProcessor } from '../apps/worker/src/processors/delivery.processor';
import { startApi, TestApi } from './support/api';
import { CoachedQuarter, seedCoachedQuarter } from './support/coached-quarter';
import { bearer } from './support/fixtures';
import { searchableText } from './support/pdf-text';
import { waitFor } from './support/processes';
import { scanRedis } from './support/redis-scan';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

/**
 * The person to erase: an owner of key results (so the report keeps their check-in rhythm by id) whose
 * answer carries the most of the group's common words (so it is the first quote) and is longer than a
 * quote may be (so the report keeps it cut, with an ellipsis).
 */
const TARGET = {
  name: 'Ottoline Brackenridge',
  email: 'ottoline.brackenridge@heron.example',
  text:
    'Weekly check-ins helped the team focus on customers and priorities: the lighthouse dashboard on the ' +
    'corridor wall kept every objective visible, we dropped two objectives nobody owned, and by week nine ' +
    'the marmalade-coloured confidence chart told us more than any steering meeting ever did. Next quarter ' +
    'the team wants the same weekly check-ins with a shorter form and the same honest focus on customers.',
};
/** A phrase of hers beyond the quote's cut, and one within it. */
const BEYOND_CUT = 'shorter form and the same honest focus';
const WITHIN_CUT = 'marmalade-coloured confidence chart';

const OTHERS = [
  {
    name: 'Bartholomew Ashcombe',
    email: 'b.ashcombe@merlin.example',
    text: 'Weekly check-ins helped the team focus, although the dashboard came late',
  },
  {
    name: 'Ingrid Vesterholm',
    email: 'ingrid.vesterholm@osprey.example',
    text: 'The team focus improved with weekly check-ins and shorter meetings',
  },
  {
    name: 'Cornelius Thistlewood',
    email: 'cthistlewood@harrier.example',
    text: 'Weekly check-ins helped us focus; customers noticed the faster replies',
  },
  {
    name: 'Philippa Marchbank',
    email: 'philippa@marchbank.example',
    text: 'Check-ins helped the team, but priorities changed weekly',
  },
  {
    name: 'Leopold Fairweather',
    email: 'leopold.fairweather@kite.example',
    text: 'Focus on customers helped the team; weekly check-ins kept the rhythm',
  },
];

/** The English themes of the run's first free-text question (everyone gave every one the same text). */
const englishTheme = (content: LearningReportContent) =>
  content.themes[0].languages.find((t) => t.locale === 'en')!;

describe('erasing a participant leaves nothing of them', () => {
  const clock = new ManualClock(new Date('2027-03-17T10:00:00Z'));
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let receiver: Server;
  const hooks: string[] = [];
  let seeded: CoachedQuarter;
  let target: CoachedQuarter['people'][number];
  let quote: string;
  /** The quotes of the first question's English theme as built, before the erasure. */
  let quotesBefore: string[] = [];
  const shares: Record<string, string> = {};

  const env = () => ({
    SMTP_URL: smtp.url,
    PUBLIC_BASE_URL: 'http://luotsi.test',
    MAIL_RETRY_BASE_MS: '10',
    PARTICIPANT_PAGE_RATE_PER_MINUTE: '100000',
    WEBHOOK_RETRY_BASE_MS: '40',
    WEBHOOK_TIMEOUT_MS: '2000',
  });

  /** Everything the test searches for: the person's id, address, name, and what they wrote. */
  const needles = () => [target.id, TARGET.email, TARGET.name, quote, WITHIN_CUT, BEYOND_CUT];
  const hitsIn = (text: string) => needles().filter((n) => text.toLowerCase().includes(n.toLowerCase()));

  const reportRows = async () =>
    (
      (await api.db.query(
        `SELECT 'learning_report ' || id AS row, content::text AS text FROM learning_report WHERE content IS NOT NULL
         UNION ALL
         SELECT 'readiness_report ' || id, content::text FROM readiness_report WHERE content IS NOT NULL`,
      )) as { row: string; text: string }[]
    ).map((r) => ({ row: r.row, hits: hitsIn(r.text) }));

  const webhookRows = async () =>
    (
      (await api.db.query(
        `SELECT id, event, payload::text || ' ' || coalesce(last_error, '') AS text FROM webhook_delivery`,
      )) as { id: string; event: string; text: string }[]
    ).map((r) => ({ row: `${r.event} ${r.id}`, hits: hitsIn(r.text) }));

  async function shareOutputs(): Promise<{ output: string; status: number; hits: string[] }[]> {
    const outputs = [];
    for (const [name, path] of Object.entries(shares))
      for (const suffix of ['', '.json', '.csv', '.pdf']) {
        const res = await api.http
          .get(`${path}${suffix}`)
          .buffer(true)
          .parse((response, done) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => done(null, Buffer.concat(chunks)));
          });
        const text = searchableText(res.body as Buffer);
        outputs.push({ output: `${name}${suffix || '.html'}`, status: res.status, hits: hitsIn(text) });
      }
    return outputs;
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        hooks.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    api = await startApi({ clock, env: env() });
    worker = await startWorker({ ...api.env, ...env() }, clock);

    seeded = await seedCoachedQuarter({ api, worker, smtp }, [TARGET, ...OTHERS], {
      // Her mailbox refuses the reminder for good, quoting her address and name; a webhook hears of it.
      beforeAnswers: async ({ owner, retrospectiveId }) => {
        await api.http
          .post('/api/v1/webhooks')
          .set(bearer(owner.token))
          .send({
            url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
            events: ['delivery.failed', 'report.ready'],
          })
          .expect(201);
        smtp.setPolicy((to) =>
          to === TARGET.email
            ? { code: 550, message: `5.1.1 <${TARGET.email}>: mailbox of ${TARGET.name} is disabled` }
            : null,
        );
        await api.http
          .post(`/api/v1/retrospectives/${retrospectiveId}/remind`)
          .set(bearer(owner.token))
          .send({})
          .expect(200);
        await worker.tickAndDrain();
        smtp.setPolicy(() => null);
      },
    });
    target = seeded.people[0];
    quote = trimQuote(TARGET.text);
    const auth = bearer(seeded.owner.token);
    for (const [name, url, audience] of [
      ['learning-coach', `/api/v1/learning-reports/${seeded.learningReportId}/shares`, 'coach'],
      ['learning-sponsor', `/api/v1/learning-reports/${seeded.learningReportId}/shares`, 'sponsor'],
      ['readiness', `/api/v1/readiness-reports/${seeded.readinessReportId}/shares`, 'sponsor'],
    ]) {
      const share = await api.http.post(url).set(auth).send({ audience }).expect(201);
      shares[name] = new URL(share.body.url).pathname;
    }
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('finds the person everywhere before the erasure, so the search after it proves something', async () => {
    // Her answer was cut to a quote, and the quote is in the stored report with her check-in rhythm.
    expect(quote.endsWith('…')).toBe(true);
    expect(quote).toContain(WITHIN_CUT);
    expect(quote).not.toContain(BEYOND_CUT);
    const [report] = await api.db.query(`SELECT content FROM learning_report WHERE id = $1`, [
      seeded.learningReportId,
    ]);
    const english = englishTheme(report.content);
    expect(english).toMatchObject({ suppressed: false, responses: 6 });
    expect(english.quotes).toContain(quote);
    quotesBefore = english.quotes;
    expect(
      report.content.practice.rhythm.people.map((p: { participantId: string }) => p.participantId),
    ).toContain(target.id);
    expect((await reportRows()).filter((r) => r.hits.length).map((r) => r.row)).toEqual([
      `learning_report ${seeded.learningReportId}`,
    ]);
    // The coach's share link serves the quote (every format that carries text); her id, in the check-in
    // rhythm per person, only the signed-in coach reads, never a link.
    const outputs = await shareOutputs();
    expect(outputs.filter((o) => o.status !== 200)).toEqual([]);
    const coach = Object.fromEntries(
      outputs.filter((o) => o.output.startsWith('learning-coach')).map((o) => [o.output, o.hits]),
    );
    expect(coach['learning-coach.json']).toEqual(expect.arrayContaining([quote]));
    expect(coach['learning-coach.json']).not.toContain(target.id);
    const signedIn = await api.http
      .get(`/api/v1/learning-reports/${seeded.learningReportId}.json`)
      .set(bearer(seeded.owner.token))
      .expect(200);
    expect(JSON.stringify(signedIn.body)).toContain(target.id);
    expect(coach['learning-coach.html']).toContain(WITHIN_CUT);
    expect(coach['learning-coach.pdf']).toContain(WITHIN_CUT);
    // The refusal was announced with her id (no address: that is tested in webhooks).
    await waitFor(() => hooks.some((h) => h.includes('delivery.failed') && h.includes(target.id)), 10_000);
    expect((await webhookRows()).some((r) => r.hits.includes(target.id))).toBe(true);
    // Redis holds her mail's jobs: their ids carry her id.
    const redis = await scanRedis(api.env.REDIS_URL, api.env.QUEUE_PREFIX, [target.id]);
    expect(redis.hits.length).toBeGreaterThan(0);
  });

  it('erases: no report row, share link output, webhook delivery or Redis key holds their id, address, name or words', async () => {
    const auth = bearer(seeded.owner.token);
    const mail: { id: string; key: string; generation: number; status: string; template: string }[] =
      await api.db.query(
        `SELECT id, key, generation, status, template FROM outbox_message WHERE participant_id = $1 ORDER BY id`,
        [target.id],
      );
    // Her kickoff (sent: the pilot started late, so it went on the start day), the invitation (sent)
    // and the refused reminder (failed).
    expect(mail.map((m) => `${m.template} ${m.status}`).sort()).toEqual([
      'prompt-kickoff sent',
      'retrospective-invitation sent',
      'retrospective-reminder failed',
    ]);

    // One of her send jobs is running at the moment of the erasure (a worker of the test's own holds it),
    // so Redis cannot let go of it at once: the cleanup has to come back for it.
    // The worker's own delivery stops for good (nothing below sends mail), so it cannot take the job.
    await worker.app.get(DeliveryProcessor).worker!.close();
    const config = AppConfig.fromEnvironment({ ...api.env, ...env() });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holding: string[] = [];
    const holder = new Worker(
      QueueName.Delivery,
      async (job) => {
        holding.push(String(job.id));
        await released;
        return 'held';
      },
      { connection: queueConnection(config), prefix: api.env.QUEUE_PREFIX },
    );
    const producer = api.app.get(JobProducer);
    const invitation = mail.find((m) => m.template === 'retrospective-invitation')!;
    const held = { outboxId: invitation.id, key: invitation.key, generation: invitation.generation };
    await producer.forget(JobName.SendMessage, [held]);
    await producer.enqueue(JobName.SendMessage, held);
    await waitFor(
      () => holding.length === 1,
      10_000,
      () => 'the held send job did not start',
    );

    await api.http.delete(`/api/v1/participants/${target.id}`).set(auth).expect(204);

    // The cleanup job tries, finds the running job, throws, and is retried by BullMQ.
    const maintenance = new Queue(QueueName.Maintenance, {
      connection: queueConnection(config),
      prefix: api.env.QUEUE_PREFIX,
    });
    const cleanupId = JOBS[JobName.ForgetErasedMail].jobId({ outboxIds: mail.map((m) => m.id) });
    try {
      await waitFor(
        async () => ((await maintenance.getJob(cleanupId))?.attemptsMade ?? 0) >= 1,
        15_000,
        () => 'the cleanup job was not retried',
      );
      const retried = await maintenance.getJob(cleanupId);
      expect(retried?.failedReason).toMatch(/still running/);
      expect(`${retried?.failedReason} ${JSON.stringify(retried?.data)}`).not.toContain(target.id);
      // While it runs, the held job (and so her id) is still in Redis.
      expect(
        (await scanRedis(api.env.REDIS_URL, api.env.QUEUE_PREFIX, [target.id])).hits.length,
      ).toBeGreaterThan(0);
      release();
      await waitFor(
        async () => (await scanRedis(api.env.REDIS_URL, api.env.QUEUE_PREFIX, needles())).hits.length === 0,
        30_000,
        () => 'Redis still holds her job data',
      );
      expect(await maintenance.getJob(cleanupId)).toBeUndefined();
    } finally {
      release();
      await holder.close();
      await maintenance.close();
    }

    // Redis: every key of the test's prefix, whatever its type, holds none of it.
    const redis = await scanRedis(api.env.REDIS_URL, api.env.QUEUE_PREFIX, needles());
    expect(redis.keys).toBeGreaterThan(10);
    expect(redis.hits).toEqual([]);
    // Stored reports: learning and readiness, every row, as text.
    expect((await reportRows()).filter((r) => r.hits.length)).toEqual([]);
    // Share links, in every format.
    const outputs = await shareOutputs();
    expect(outputs.filter((o) => o.status !== 200)).toEqual([]);
    expect(outputs.filter((o) => o.hits.length)).toEqual([]);
    expect(outputs).toHaveLength(12);
    // Webhook deliveries, payloads and errors.
    expect((await webhookRows()).filter((r) => r.hits.length)).toEqual([]);
    // And no table of any schema holds her address, name or words (her id: only the audit log's record
    // that an erasure happened).
    const tables: { name: string }[] = await api.db.query(
      `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const anywhere: Record<string, string[]> = {};
    for (const { name } of tables) {
      const [row] = await api.db.query(`SELECT string_agg(t::text, ' ') AS text FROM ${name} t`);
      const hits = hitsIn(row.text ?? '');
      if (hits.length) anywhere[name] = hits;
    }
    expect(anywhere).toEqual({ 'public.audit_event': [target.id] });
  });

  it("keeps the numbers: the report still counts her answer and keeps the others' quotes", async () => {
    const [report] = await api.db.query(`SELECT content FROM learning_report WHERE id = $1`, [
      seeded.learningReportId,
    ]);
    const english = englishTheme(report.content);
    expect(english).toMatchObject({ suppressed: false, responses: 6 });
    expect(english.terms.length).toBeGreaterThan(0);
    expect(english.quotes).toEqual(quotesBefore.filter((q) => q !== quote));
    expect(
      report.content.practice.rhythm.people.map((p: { participantId: string }) => p.participantId),
    ).toEqual([seeded.people[1].id]);
    // Her answer stays, unlinked, with its numbers and without its words.
    const answers = await api.db.query(
      `SELECT participant_id, answers FROM retrospective_response WHERE retrospective_id = $1`,
      [seeded.retrospectiveId],
    );
    expect(answers).toHaveLength(6);
    const hers = answers.filter((a: { participant_id: string | null }) => a.participant_id === null);
    expect(hers).toHaveLength(1);
    const values = Object.values(hers[0].answers as Record<string, unknown>);
    expect(values.some((v) => typeof v === 'number')).toBe(true);
    expect(JSON.stringify(hers[0].answers)).not.toMatch(/lighthouse|marmalade|check-ins/);
    // Her check-ins keep their numbers and lose their notes.
    const checkIns = await api.db.query(
      `SELECT confidence, note FROM check_in WHERE key_result_id = $1 ORDER BY week`,
      [seeded.keyResultIds[0]],
    );
    expect(checkIns).toEqual([
      { confidence: 7, note: '' },
      { confidence: 4, note: '' },
    ]);
  });

  it('rebuilds without her: a new build of the quarter has neither her words nor her id', async () => {
    const auth = bearer(seeded.owner.token);
    const [before] = await api.db.query(`SELECT generation FROM learning_report WHERE id = $1`, [
      seeded.learningReportId,
    ]);
    await api.http.post(`/api/v1/quarters/${seeded.quarterId}/learning-report`).set(auth).expect(202);
    await waitFor(
      async () => {
        const [row] = await api.db.query(`SELECT status, generation FROM learning_report WHERE id = $1`, [
          seeded.learningReportId,
        ]);
        return row.status === 'ready' && row.generation > before.generation;
      },
      30_000,
      () => 'the rebuild did not finish',
    );
    expect((await reportRows()).filter((r) => r.hits.length)).toEqual([]);
    expect((await shareOutputs()).filter((o) => o.hits.length)).toEqual([]);
    expect((await scanRedis(api.env.REDIS_URL, api.env.QUEUE_PREFIX, needles())).hits).toEqual([]);
  });
});
