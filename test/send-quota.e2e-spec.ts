import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { ConsoleClient } from './support/console';
import { prepareDueFanOut } from './support/faults';
import { bearer } from './support/fixtures';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const QUOTA = 5;
const PEOPLE = 8;
const OPERATOR_TOKEN = 'operator-token-for-send-quota-tests';

/** A metric's value in a Prometheus text exposition. */
const metric = (text: string, name: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no ${name} in /metrics`);
  return Number(line.split(' ')[1]);
};

/**
 * A new workspace's daily send quota (DEFAULT_DAILY_SEND_QUOTA), on the test clock, against a real SMTP
 * server: exactly the quota goes on day 1, the rest is held (deferred, never failed) and goes on day 2;
 * the operator raising the quota releases held mail at once; the coach's delivery report and /metrics
 * say what is held. Every participant gets their mail once.
 */
describe('send quota per workspace', () => {
  const clock = new ManualClock(new Date('2027-03-10T09:00:00Z'));
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;

  const received = (domain: string) => smtp.received.filter((m) => m.to.endsWith(`@${domain}`));
  const rowsOf = async (quarterId: string) =>
    (await api.db.query(
      `SELECT status, deferred_reason AS "reason", deferred_until AS "until" FROM outbox_message WHERE quarter_id = $1`,
      [quarterId],
    )) as { status: string; reason: string | null; until: Date | null }[];
  const scrape = async () => (await api.http.get('/metrics').expect(200)).text;
  const setQuota = (body: object, token = OPERATOR_TOKEN) =>
    api.http.put('/api/v1/operator/send-quota').set(bearer(token)).send(body);

  beforeAll(async () => {
    smtp = await startSmtpServer();
    api = await startApi({
      clock,
      env: {
        SMTP_URL: smtp.url,
        DEFAULT_DAILY_SEND_QUOTA: String(QUOTA),
        OPERATOR_TOKEN,
        MAIL_RETRY_BASE_MS: '50',
      },
    });
    worker = await startWorker({ ...api.env, SMTP_URL: smtp.url }, clock);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  it('sends exactly the quota on day 1 and the rest on day 2, none twice, none lost', async () => {
    const a = await prepareDueFanOut(api.http, {
      participants: PEOPLE,
      domain: 'quota-a.example',
      now: clock.now(),
    });
    const quarterId = await a.start();
    await worker.tickAndDrain();

    // Day 1: the quota, and not one more; the rest held for the next UTC day.
    expect(received('quota-a.example')).toHaveLength(QUOTA);
    const day1 = await rowsOf(quarterId);
    expect(day1).toHaveLength(PEOPLE);
    expect(day1.filter((r) => r.status === 'sent')).toHaveLength(QUOTA);
    const held = day1.filter((r) => r.status === 'deferred');
    expect(held).toHaveLength(PEOPLE - QUOTA);
    for (const row of held) {
      expect(row.reason).toBe('send quota');
      expect(row.until).toEqual(new Date('2027-03-11T00:00:00Z'));
    }

    // The coach sees it in the delivery report; the operator in /metrics.
    const report = await api.http
      .get(`/api/v1/quarters/${quarterId}/deliveries`)
      .set(bearer(a.owner.token))
      .expect(200);
    expect(report.body).toMatchObject({
      heldForQuota: PEOPLE - QUOTA,
      deferred: PEOPLE - QUOTA,
      sendQuota: { daily: QUOTA, isDefault: true, usedToday: QUOTA },
      counts: { sent: QUOTA, deferred: PEOPLE - QUOTA, failed: 0 },
    });
    const metrics = await scrape();
    expect(metric(metrics, 'luotsi_mail_held_for_quota')).toBe(PEOPLE - QUOTA);
    expect(metric(metrics, 'luotsi_workspaces_at_send_quota')).toBe(1);
    expect(metric(metrics, 'luotsi_send_quota_used_today')).toBe(QUOTA);

    // And the coach in the console, on the pilot's page.
    const console = new ConsoleClient(api);
    expect((await console.signIn(a.owner.email)).status).toBe(303);
    const page = await console.get(`/app/pilots/${a.pilotId}?quarter=${quarterId}`).expect(200);
    expect(page.text).toContain(`data-held-for-quota="${PEOPLE - QUOTA}"`);
    expect(page.text).toContain(
      `${PEOPLE - QUOTA} messages wait for tomorrow: the workspace&#x27;s daily sending limit (${QUOTA} messages) has been reached.`,
    );

    // Later the same day: still held.
    clock.set(new Date('2027-03-10T23:30:00Z'));
    await worker.tickAndDrain();
    expect(received('quota-a.example')).toHaveLength(QUOTA);

    // Day 2: the rest goes.
    clock.set(new Date('2027-03-11T06:00:00Z'));
    await worker.tickAndDrain();
    const mails = received('quota-a.example');
    expect(mails).toHaveLength(PEOPLE);
    const expected = Array.from({ length: PEOPLE }, (_, i) => `person${i}@quota-a.example`).sort();
    expect(mails.map((m) => m.to).sort()).toEqual(expected);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(PEOPLE);
    const day2 = await rowsOf(quarterId);
    expect(day2.map((r) => r.status)).toEqual(Array(PEOPLE).fill('sent'));
    expect(metric(await scrape(), 'luotsi_mail_held_for_quota')).toBe(0);
  });

  it("releases held mail at once when the operator raises a workspace's quota", async () => {
    const b = await prepareDueFanOut(api.http, {
      participants: PEOPLE,
      domain: 'quota-b.example',
      now: clock.now(),
    });
    const quarterId = await b.start();
    await worker.tickAndDrain();
    expect(received('quota-b.example')).toHaveLength(QUOTA);
    expect(metric(await scrape(), 'luotsi_mail_held_for_quota')).toBe(PEOPLE - QUOTA);

    // Only the operator: a workspace's own token is refused, and bad values are named.
    await setQuota({ workspaceId: b.owner.id, daily: 1000 }, b.owner.token).expect(403);
    await api.http
      .put('/api/v1/operator/send-quota')
      .send({ workspaceId: b.owner.id, daily: 1000 })
      .expect(401);
    const bad = await setQuota({ workspaceId: b.owner.id, daily: -1 }).expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['daily']);
    await setQuota({ workspaceId: b.owner.id, daily: 2.5 }).expect(422);
    await setQuota({ workspaceId: '0b6f5d1e-3c7a-4c1e-9a37-9d3c1b2a4f00', daily: 10 }).expect(404);
    expect(received('quota-b.example')).toHaveLength(QUOTA);

    const raised = await setQuota({ workspaceId: b.owner.id, daily: 1000 }).expect(200);
    expect(raised.body).toEqual({
      workspaceId: b.owner.id,
      daily: 1000,
      isDefault: false,
      usedToday: QUOTA,
      released: PEOPLE - QUOTA,
    });
    // Queued by the operator's request itself: none waits for tomorrow any more.
    expect((await rowsOf(quarterId)).filter((r) => r.status === 'deferred')).toEqual([]);
    await worker.tickAndDrain();
    const mails = received('quota-b.example');
    expect(mails.map((m) => m.to).sort()).toEqual(
      Array.from({ length: PEOPLE }, (_, i) => `person${i}@quota-b.example`).sort(),
    );
    expect((await rowsOf(quarterId)).map((r) => r.status)).toEqual(Array(PEOPLE).fill('sent'));
    const report = await api.http
      .get(`/api/v1/quarters/${quarterId}/deliveries`)
      .set(bearer(b.owner.token))
      .expect(200);
    expect(report.body).toMatchObject({
      heldForQuota: 0,
      sendQuota: { daily: 1000, isDefault: false, usedToday: PEOPLE },
    });
    const metrics = await scrape();
    expect(metric(metrics, 'luotsi_mail_held_for_quota')).toBe(0);
    // Day 2 (UTC): A sent its held 3, B its 8.
    expect(metric(metrics, 'luotsi_send_quota_used_today')).toBe(PEOPLE - QUOTA + PEOPLE);
    // Nobody at all got a mail twice.
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(smtp.received.length);
  });
});
