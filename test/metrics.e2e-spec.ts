import { randomUUID } from 'node:crypto';
import { JobName, JobProducer, QUEUE_NAMES, QueueName } from '@luotsi/queue';
import { startApi, TestApi } from './support/api';
import { bearer, signUp, Workspace } from './support/fixtures';

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Prometheus' text format, line by line. */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

describe('/metrics', () => {
  let api: TestApi;
  let owner: Workspace;
  const scrape = async () => parse((await api.http.get('/metrics').expect(200)).text);

  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http);
  });
  afterAll(async () => {
    await api.app.get(JobProducer).queue(QueueName.Maintenance).obliterate({ force: true });
    await api.close();
  });

  it('exposes HTTP, queue, outbox, webhook and send-latency metrics in the text format', async () => {
    const res = await api.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'luotsi_http_requests_total',
      'luotsi_http_request_duration_seconds',
      'luotsi_queue_jobs',
      'luotsi_outbox_messages',
      'luotsi_webhook_deliveries',
      'luotsi_mail_send_latency_seconds',
      'process_cpu_user_seconds_total',
    ]) {
      expect(res.text).toContain(`# TYPE ${name} `);
    }
    const samples = parse(res.text);
    for (const queue of QUEUE_NAMES)
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect(
          samples.some(
            (s) => s.name === 'luotsi_queue_jobs' && s.labels.queue === queue && s.labels.state === state,
          ),
        ).toBe(true);
  });

  it('counts requests by route template, never by raw path', async () => {
    const before = await scrape();
    const me = { method: 'GET', route: '/api/v1/auth/me', status: '200' };
    for (let i = 0; i < 3; i++) await api.http.get('/api/v1/auth/me').set(bearer(owner.token)).expect(200);
    const missing = randomUUID();
    await api.http.get(`/api/v1/pilots/${missing}`).set(bearer(owner.token)).expect(404);
    const res = await api.http.get('/metrics').expect(200);
    const after = parse(res.text);
    expect(
      value(after, 'luotsi_http_requests_total', me) - value(before, 'luotsi_http_requests_total', me),
    ).toBe(3);
    expect(value(after, 'luotsi_http_request_duration_seconds_count', me)).toBe(
      value(after, 'luotsi_http_requests_total', me),
    );
    expect(
      value(after, 'luotsi_http_requests_total', { route: '/api/v1/pilots/:id', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(res.text).not.toContain(missing);
  });

  it('reads queue depths at scrape time', async () => {
    const producer = api.app.get(JobProducer);
    const labels = { queue: QueueName.Maintenance, state: 'delayed' };
    const before = value(await scrape(), 'luotsi_queue_jobs', labels);
    await producer.enqueue(JobName.Heartbeat, { key: randomUUID() }, { delayMs: 3_600_000 });
    await producer.enqueue(JobName.Heartbeat, { key: randomUUID() }, { delayMs: 3_600_000 });
    expect(value(await scrape(), 'luotsi_queue_jobs', labels)).toBe(before + 2);
  });

  it('counts outbox rows by status as SQL does, and the send latency from due_at to sent_at', async () => {
    const now = Date.now();
    const rows: [string, number | null][] = [
      ['sent', 0.5],
      ['sent', 100],
      ['sent', 7200],
      ['pending', null],
      ['pending', null],
      ['failed', null],
      ['deferred', null],
      ['queued', null],
    ];
    for (const [status, latency] of rows) {
      const due = new Date(now - 10_000_000);
      await api.db.query(
        `INSERT INTO outbox_message (workspace_id, key, template, due_at, status, sent_at)
         VALUES ($1, $2, 'prompt-kickoff', $3, $4, $5)`,
        [
          owner.id,
          `metrics.${randomUUID()}`,
          due,
          status,
          latency === null ? null : new Date(due.getTime() + latency * 1000),
        ],
      );
    }
    const counted: { status: string; n: number }[] = await api.db.query(
      `SELECT status, count(*)::int AS n FROM outbox_message GROUP BY status`,
    );
    const samples = await scrape();
    for (const { status, n } of counted)
      expect({ status, n: value(samples, 'luotsi_outbox_messages', { status }) }).toEqual({ status, n });
    expect(value(samples, 'luotsi_outbox_messages', { status: 'suppressed' })).toBe(0);

    const bucket = (le: string) => value(samples, 'luotsi_mail_send_latency_seconds_bucket', { le });
    expect(bucket('1')).toBe(1);
    expect(bucket('60')).toBe(1);
    expect(bucket('300')).toBe(2);
    expect(bucket('3600')).toBe(2);
    expect(bucket('14400')).toBe(3);
    expect(bucket('+Inf')).toBe(3);
    expect(value(samples, 'luotsi_mail_send_latency_seconds_count')).toBe(3);
    expect(value(samples, 'luotsi_mail_send_latency_seconds_sum')).toBeCloseTo(7300.5, 1);
  });

  it('wants METRICS_TOKEN when one is set, and is closed in production without one', async () => {
    const token = 'metrics-token-0123456789';
    const guarded = await startApi({ env: { METRICS_TOKEN: token } });
    const production = await startApi({
      env: { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:2525' },
    });
    try {
      await guarded.http.get('/metrics').expect(401);
      await guarded.http.get('/metrics').set(bearer('metrics-token-wrong-456789')).expect(401);
      await guarded.http.get('/metrics').set(bearer(token)).expect(200);
      await production.http.get('/metrics').expect(403);
    } finally {
      await guarded.close();
      await production.close();
    }
  });

  it('answers from tallies with a million sent rows, never reading the outbox table itself', async () => {
    // A million sent mails, due a day ago and sent 0 to 7,199 seconds later.
    await api.db.query(
      `INSERT INTO outbox_message (workspace_id, key, template, due_at, status, sent_at)
       SELECT $1, 'million.' || g, 'prompt-kickoff', now() - interval '1 day', 'sent',
              now() - interval '1 day' + (g % 7200) * interval '1 second'
       FROM generate_series(1, 1000000) g`,
      [owner.id],
    );
    // What the rows say, counted from the rows.
    const counted: { status: string; n: number }[] = await api.db.query(
      `SELECT status, count(*)::int AS n FROM outbox_message GROUP BY status`,
    );
    const [latency] = await api.db.query(
      `SELECT count(*)::int AS count,
              count(*) FILTER (WHERE extract(epoch FROM sent_at - due_at) <= 3600)::int AS within_hour
       FROM outbox_message WHERE status = 'sent' AND sent_at IS NOT NULL`,
    );

    // The outbox and webhook tables locked against every reader while /metrics is scraped: a scrape that
    // read them would wait for the lock and time out; one that reads the tallies answers.
    const locker = await api.db.createQueryRunner();
    await locker.connect();
    await locker.startTransaction();
    let samples: Sample[];
    try {
      await locker.query(`LOCK TABLE outbox_message, webhook_delivery IN ACCESS EXCLUSIVE MODE`);
      samples = parse((await api.http.get('/metrics').timeout(15_000).expect(200)).text);
    } finally {
      await locker.rollbackTransaction();
      await locker.release();
    }
    for (const { status, n } of counted)
      expect({ status, n: value(samples, 'luotsi_outbox_messages', { status }) }).toEqual({ status, n });
    expect(value(samples, 'luotsi_mail_send_latency_seconds_count')).toBe(latency.count);
    expect(value(samples, 'luotsi_mail_send_latency_seconds_bucket', { le: '3600' })).toBe(
      latency.within_hour,
    );
  }, 600_000);
});
