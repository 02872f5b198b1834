import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  ManualClock,
  ReportBuilds,
  verifyWebhookSignature,
  WebhookSender,
  WebhookService,
} from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  participantCsv,
  signUp,
  Workspace,
} from './support/fixtures';
import { waitFor } from './support/processes';
import { scanRedis } from './support/redis-scan';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on a free port; `answer` picks the status for the n-th request to a path. */
async function startReceiver(answer: (path: string, n: number) => number) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = answer(path, received.filter((r) => r.path === path).length);
      response.end(response.statusCode < 300 ? 'ok' : 'receiver is down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    to: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhooks', () => {
  const clock = new ManualClock(new Date('2027-01-01T12:00:00Z'));
  let smtp: TestSmtpServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let api: TestApi;
  let worker: TestWorker;
  let a: Workspace;
  let b: Workspace;
  const endpoints: Record<string, { id: string; secret: string }> = {};

  const env = () => ({
    SMTP_URL: smtp.url,
    MAIL_RETRY_BASE_MS: '20',
    MAIL_RETRY_ATTEMPTS: '2',
    WEBHOOK_RETRY_BASE_MS: '40',
    WEBHOOK_RETRY_ATTEMPTS: '3',
    WEBHOOK_TIMEOUT_MS: '2000',
  });

  const register = async (owner: Workspace, name: string, events: string[]) => {
    const res = await api.http
      .post('/api/v1/webhooks')
      .set(bearer(owner.token))
      .send({ url: receiver.url(`/${name}`), events, description: name })
      .expect(201);
    endpoints[name] = { id: res.body.id, secret: res.body.secret };
    return res.body;
  };

  const deliveries = async (owner: Workspace, name: string) =>
    (
      await api.http
        .get(`/api/v1/webhooks/${endpoints[name].id}/deliveries`)
        .set(bearer(owner.token))
        .expect(200)
    ).body as {
      items: {
        id: string;
        event: string;
        status: string;
        attempts: number;
        responseStatus: number | null;
        responseMs: number | null;
        lastError: string | null;
        payload: Record<string, unknown>;
      }[];
      total: number;
    };

  const settled = (owner: Workspace, name: string, count: number) =>
    waitFor(
      async () => {
        const { items } = await deliveries(owner, name);
        return items.length === count && items.every((d) => d.status !== 'pending');
      },
      20_000,
      () => `deliveries to ${name} did not settle`,
    );

  /** A learning report row marked ready, announced as a finished build would. */
  async function learningReportBuilt(owner: Workspace): Promise<string> {
    const organization = await createOrganization(api.http, owner.token);
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id);
    const quarters = await api.http
      .get(`/api/v1/pilots/${pilot.id}/quarters`)
      .set(bearer(owner.token))
      .expect(200);
    const [report] = await api.db.query(
      `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, generation, progress, requested_at, built_at)
       VALUES ($1, $2, $3, $4, 'ready', 1, 100, now(), now()) RETURNING id`,
      [owner.id, organization.id, pilot.id, quarters.body[0].id],
    );
    await worker.app.get(ReportBuilds).built('learning', report.id);
    return report.id;
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    receiver = await startReceiver((path, n) => {
      if (path === '/flaky') return n <= 2 ? 500 : 200;
      if (path === '/down') return 500;
      return 200;
    });
    api = await startApi({ clock, env: env() });
    worker = await startWorker({ ...api.env, ...env() }, clock);
    a = await signUp(api.http, 'Workspace A');
    b = await signUp(api.http, 'Workspace B');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.close();
    await receiver.close();
  });

  it('registers endpoints for owners: https only, known events, the secret shown once', async () => {
    const created = await register(a, 'ok', ['report.ready', 'readiness.decided', 'delivery.failed']);
    expect(created).toMatchObject({
      active: true,
      events: ['report.ready', 'readiness.decided', 'delivery.failed'],
    });
    expect(created.secret).toMatch(/^whsec_[\w-]{43}$/);
    await register(a, 'flaky', ['report.ready']);
    await register(a, 'down', ['readiness.decided']);
    await register(b, 'other', ['report.ready', 'readiness.decided', 'delivery.failed']);

    const list = await api.http.get('/api/v1/webhooks').set(bearer(a.token)).expect(200);
    expect(list.body.total).toBe(3);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    expect(list.body.items.map((e: { id: string }) => e.id)).not.toContain(endpoints.other.id);

    const refused = async (body: object) =>
      (await api.http.post('/api/v1/webhooks').set(bearer(a.token)).send(body).expect(422)).body;
    expect((await refused({ url: 'http://hooks.example.fi/x', events: ['report.ready'] })).errors).toEqual([
      { field: 'url', reason: expect.stringMatching(/https/) },
    ]);
    await refused({ url: 'https://hooks.example.fi/x', events: [] });
    await refused({ url: 'https://hooks.example.fi/x', events: ['report.deleted'] });
    await refused({ url: 'not a url', events: ['report.ready'] });

    const coach = await addMember(api.http, a, 'coach');
    await api.http.get('/api/v1/webhooks').set(bearer(coach.token)).expect(403);
    await api.http
      .post('/api/v1/webhooks')
      .set(bearer(coach.token))
      .send({ url: 'https://hooks.example.fi/x', events: ['report.ready'] })
      .expect(403);
    await api.http.get(`/api/v1/webhooks/${endpoints.ok.id}/deliveries`).set(bearer(coach.token)).expect(403);
  });

  it('delivers report.ready signed with HMAC-SHA256 over "{timestamp}.{body}", once however often announced', async () => {
    const reportId = await learningReportBuilt(a);
    await settled(a, 'ok', 1);
    const [delivery] = (await deliveries(a, 'ok')).items;
    expect(delivery).toMatchObject({
      event: 'report.ready',
      status: 'sent',
      attempts: 1,
      responseStatus: 200,
      lastError: null,
    });

    const [request] = receiver.to('/ok');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['luotsi-event']).toBe('report.ready');
    expect(request.headers['luotsi-delivery']).toBe(delivery.id);
    const signature = String(request.headers['luotsi-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(endpoints.ok.secret, request.body, signature)).toBe(true);
    expect(verifyWebhookSignature(endpoints.flaky.secret, request.body, signature)).toBe(false);
    expect(
      verifyWebhookSignature(endpoints.ok.secret, request.body.replace('learning', 'readiness'), signature),
    ).toBe(false);
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({
      id: delivery.id,
      event: 'report.ready',
      data: { kind: 'learning', reportId, generation: 1 },
    });

    // The build's listeners run again on a retried job: the natural key keeps it to one delivery.
    await worker.app.get(ReportBuilds).built('learning', reportId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await deliveries(a, 'ok')).total).toBe(1);
    expect(receiver.to('/ok')).toHaveLength(1);
  });

  it('retries a receiver that answers 500 twice, and records one delivery sent on the third attempt', async () => {
    await settled(a, 'flaky', 1);
    const [delivery] = (await deliveries(a, 'flaky')).items;
    expect(delivery).toMatchObject({ status: 'sent', attempts: 3, responseStatus: 200, lastError: null });
    const requests = receiver.to('/flaky');
    expect(requests).toHaveLength(3);
    // The same delivery and the same body each time; each attempt signed afresh and valid.
    expect(new Set(requests.map((r) => r.headers['luotsi-delivery']))).toEqual(new Set([delivery.id]));
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    for (const r of requests)
      expect(
        verifyWebhookSignature(endpoints.flaky.secret, r.body, String(r.headers['luotsi-signature'])),
      ).toBe(true);
  });

  it('gives up on a receiver that keeps failing: failed, with the attempts and the last answer', async () => {
    const sent = await api.app
      .get(WebhookService)
      .emit(a.id, 'readiness.decided', 'decision-1', { decision: 'go', rolloutId: 'r-1' });
    expect(sent).toBe(2);
    await settled(a, 'down', 1);
    const [delivery] = (await deliveries(a, 'down')).items;
    expect(delivery).toMatchObject({
      event: 'readiness.decided',
      status: 'failed',
      attempts: 3,
      responseStatus: 500,
      responseMs: expect.any(Number),
    });
    // The status and its timing only: what the receiver wrote is never stored or shown.
    expect(delivery.lastError).toMatch(/^gave up after 3 attempts: HTTP 500 after \d+ ms$/);
    expect(JSON.stringify(delivery)).not.toContain('receiver is down');
    expect(receiver.to('/down')).toHaveLength(3);

    await settled(a, 'ok', 2);
    const decided = receiver.to('/ok').find((r) => r.headers['luotsi-event'] === 'readiness.decided')!;
    expect(JSON.parse(decided.body).data).toEqual({ decision: 'go', rolloutId: 'r-1' });
  });

  it('announces delivery.failed with a classified reason and ids: no address, name or server text', async () => {
    // Real servers quote the address (and sometimes the name) in a refusal: none of it may leave.
    const refusals: Record<string, (name: string) => { code: number; message: string }> = {
      'person1@reject.example': (name) => ({
        code: 550,
        message: `5.1.1 <person1@reject.example>: Recipient address rejected: no mailbox for ${name}`,
      }),
      'person2@reject.example': (name) => ({
        code: 451,
        message: `4.2.1 <person2@reject.example> (${name}): mailbox busy, try again later`,
      }),
    };
    const names: Record<string, string> = {};
    smtp.setPolicy((address) => (refusals[address] ? refusals[address](names[address]) : null));
    const organization = await createOrganization(api.http, a.token);
    const rollout = await createRollout(api.http, a.token, organization.id);
    const pilot = await createPilot(api.http, a.token, rollout.id, { startQuarter: '2027-Q1' });
    await api.http
      .post(`/api/v1/pilots/${pilot.id}/participants/import`)
      .set(bearer(a.token))
      .set('Content-Type', 'text/csv')
      .send(participantCsv(3, { domain: 'reject.example' }))
      .expect(200);
    for (const row of await api.db.query(
      `SELECT email, name FROM participant WHERE email = ANY($1::text[])`,
      [Object.keys(refusals)],
    ))
      names[row.email] = row.name;
    expect(Object.keys(names)).toHaveLength(2);
    await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(bearer(a.token)).expect(200);
    await worker.tickAndDrain();

    const failed: {
      id: string;
      key: string;
      email: string;
      participantId: string;
      quarterId: string;
      stepKey: string;
      kind: string;
      lastError: string;
    }[] = await api.db.query(
      `SELECT o.id, o.key, p.email, o.participant_id AS "participantId", o.quarter_id AS "quarterId",
              o.step_key AS "stepKey", o.kind, o.last_error AS "lastError"
       FROM outbox_message o JOIN participant p ON p.id = o.participant_id
       WHERE p.email LIKE '%@reject.example' AND o.status = 'failed' ORDER BY p.email`,
    );
    expect(failed.map((f) => f.email)).toEqual(['person1@reject.example', 'person2@reject.example']);
    // The coach's own record keeps the server's words (so the refusal can be read and the test is real).
    expect(failed[0].lastError).toContain('person1@reject.example');
    expect(failed[1].lastError).toMatch(/^gave up after 2 attempts: 451/);
    await settled(a, 'ok', 4);
    const events = (await deliveries(a, 'ok')).items.filter((d) => d.event === 'delivery.failed');
    expect(events).toHaveLength(2);
    const byOutbox = new Map(events.map((e) => [e.payload.outboxId, e]));
    const expected = {
      'person1@reject.example': { reason: 'mailbox_unavailable', smtpCode: 550, enhancedStatus: '5.1.1' },
      'person2@reject.example': { reason: 'temporarily_unavailable', smtpCode: 451, enhancedStatus: '4.2.1' },
    } as const;
    for (const row of failed) {
      const event = byOutbox.get(row.id)!;
      expect(event).toMatchObject({ status: 'sent', attempts: 1 });
      expect(event.payload).toEqual({
        outboxId: row.id,
        key: row.key,
        template: expect.any(String),
        stepKey: row.stepKey,
        stepKind: row.kind,
        quarterId: row.quarterId,
        pilotId: pilot.id,
        participantId: row.participantId,
        memberId: null,
        attempts: expect.any(Number),
        ...expected[row.email as keyof typeof expected],
      });
    }

    // What reached the receiver: signed, and free of the address, the name and the server's text.
    const requests = receiver.to('/ok').filter((r) => r.headers['luotsi-event'] === 'delivery.failed');
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(
        verifyWebhookSignature(
          endpoints.ok.secret,
          request.body,
          String(request.headers['luotsi-signature']),
        ),
      ).toBe(true);
      const forbidden = [
        'reject.example',
        'person1',
        'person2',
        ...Object.values(names),
        ...Object.values(names).flatMap((name) => name.split(' ')),
        'Recipient address rejected',
        'no mailbox',
        'mailbox busy',
        'try again',
      ];
      expect(forbidden.filter((text) => request.body.includes(text))).toEqual([]);
    }
    // The stored deliveries (what the owner lists) are the same bodies.
    for (const event of events)
      expect(JSON.stringify(event.payload)).not.toMatch(/reject\.example|Recipient|busy|try again/);
    // Nor does the queue keep the refusal: a retried job's failure reason is the category alone.
    const redis = await scanRedis(api.env.REDIS_URL, api.env.QUEUE_PREFIX, [
      'reject.example',
      ...Object.values(names),
      'mailbox busy',
    ]);
    expect(redis.keys).toBeGreaterThan(0);
    expect(redis.hits).toEqual([]);
    smtp.setPolicy(() => null);
  });

  it("never sends one workspace's events to another's endpoints", async () => {
    expect(receiver.to('/other')).toHaveLength(0);
    expect((await deliveries(b, 'other')).total).toBe(0);
    await api.http.get(`/api/v1/webhooks/${endpoints.ok.id}/deliveries`).set(bearer(b.token)).expect(404);
    await api.http.delete(`/api/v1/webhooks/${endpoints.ok.id}`).set(bearer(b.token)).expect(404);

    // B's own event reaches B's endpoint, and only it.
    const before = receiver.received.length;
    await api.app.get(WebhookService).emit(b.id, 'readiness.decided', 'decision-b', { decision: 'stop' });
    await settled(b, 'other', 1);
    expect(receiver.received.slice(before).map((r) => r.path)).toEqual(['/other']);
  });

  it('announces readiness.decided once a sponsor has recorded the decision', async () => {
    const organization = await createOrganization(api.http, b.token);
    const rollout = await createRollout(api.http, b.token, organization.id);
    const [report] = await api.db.query(
      `INSERT INTO readiness_report (workspace_id, organization_id, rollout_id, status, progress, verdict, built_at)
       VALUES ($1, $2, $3, 'ready', 100, 'ready_with_conditions', now()) RETURNING id`,
      [b.id, organization.id, rollout.id],
    );
    const sponsor = await addMember(api.http, b, 'sponsor', [organization.id]);
    const decided = await api.http
      .post(`/api/v1/readiness-reports/${report.id}/decision`)
      .set(bearer(sponsor.token))
      .send({ decision: 'go', reason: 'Widen to customer service, with the two conditions met first.' });
    expect(decided.status).toBeLessThan(300);

    await settled(b, 'other', 2);
    const latest = (await deliveries(b, 'other')).items.find(
      (d) => d.payload.decisionId === decided.body.id,
    )!;
    expect(latest).toMatchObject({
      event: 'readiness.decided',
      status: 'sent',
      payload: {
        decisionId: decided.body.id,
        readinessReportId: report.id,
        rolloutId: rollout.id,
        organizationId: organization.id,
        decision: 'go',
        verdict: 'ready_with_conditions',
      },
    });
    const request = receiver.to('/other').find((r) => r.headers['luotsi-delivery'] === latest.id)!;
    expect(
      verifyWebhookSignature(
        endpoints.other.secret,
        request.body,
        String(request.headers['luotsi-signature']),
      ),
    ).toBe(true);
    expect(receiver.to('/ok').some((r) => r.body.includes(decided.body.id))).toBe(false);
  });

  it('deletes an endpoint with its delivery log; later events skip it', async () => {
    await api.http.delete(`/api/v1/webhooks/${endpoints.down.id}`).set(bearer(a.token)).expect(204);
    await api.http.get(`/api/v1/webhooks/${endpoints.down.id}/deliveries`).set(bearer(a.token)).expect(404);
    const list = await api.http.get('/api/v1/webhooks').set(bearer(a.token)).expect(200);
    expect(list.body.items.map((e: { id: string }) => e.id).sort()).toEqual(
      [endpoints.ok.id, endpoints.flaky.id].sort(),
    );
    expect(await api.app.get(WebhookService).emit(a.id, 'readiness.decided', 'decision-2', {})).toBe(1);
  });

  it('sends a delivery whose job Redis lost: the sweep queues it anew under a new generation, once', async () => {
    // A pending row as if its job had been added ten minutes ago and then lost with Redis.
    const [row] = await api.db.query(
      `INSERT INTO webhook_delivery (workspace_id, endpoint_id, event, key, payload, status, updated_at)
       VALUES ($1, $2::uuid, 'readiness.decided', 'readiness.decided.lost.' || $2::text, '{"decision":"go"}', 'pending',
               now() - interval '10 minutes')
       RETURNING id`,
      [b.id, endpoints.other.id],
    );
    const sender = worker.app.get(WebhookSender);
    // The worker's own sweep (every minute) may have been first.
    expect(await sender.sweep()).toBeLessThanOrEqual(1);
    let seen: Record<string, unknown> = {};
    await waitFor(
      async () => {
        [seen] = await api.db.query(
          `SELECT status, generation, attempts FROM webhook_delivery WHERE id = $1`,
          [row.id],
        );
        return seen.status !== 'pending';
      },
      20_000,
      () => JSON.stringify(seen),
    );
    expect(seen).toEqual({ status: 'sent', generation: 1, attempts: 1 });
    expect(receiver.to('/other').filter((r) => r.headers['luotsi-delivery'] === row.id)).toHaveLength(1);
    // Settled: nothing waits, so nothing is queued again.
    expect(await sender.sweep()).toBe(0);
  });
});
