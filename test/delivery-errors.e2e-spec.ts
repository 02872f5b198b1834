import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  participantCsv,
  signUp,
} from './support/fixtures';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

/** Message-IDs are `<outbox id@domain>`: the SMTP log joins the outbox on the id. */
const outboxIdOf = (messageId: string) => messageId.replace(/^<|@.*$/g, '');

describe('delivery against an SMTP server that says no', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  const clock = new ManualClock(new Date('2027-01-01T12:00:00Z'));
  // The worker signs in to the server (which accepts it unless a test says otherwise).
  const env = () => ({
    SMTP_URL: smtp.url.replace('smtp://', 'smtp://luotsi:app-password@'),
    MAIL_RETRY_BASE_MS: '20',
    MAIL_RETRY_ATTEMPTS: '6',
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
  });

  /** A workspace whose pilot's kickoff is due now, with `n` participants. */
  async function pilotWithKickoffDue(n: number, domain: string) {
    const owner = await signUp(api.http);
    const organization = await createOrganization(api.http, owner.token);
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, { startQuarter: '2027-Q1' });
    await api.http
      .post(`/api/v1/pilots/${pilot.id}/participants/import`)
      .set(bearer(owner.token))
      .set('Content-Type', 'text/csv')
      .send(participantCsv(n, { domain }))
      .expect(200);
    const started = await api.http
      .post(`/api/v1/pilots/${pilot.id}/start`)
      .set(bearer(owner.token))
      .expect(200);
    return { owner, pilot, quarterId: started.body.currentQuarter.id as string };
  }

  const rowsOf = (quarterId: string) =>
    api.db.query(
      `SELECT o.id, o.status, o.attempts, o.last_error AS "lastError", p.email
       FROM outbox_message o JOIN participant p ON p.id = o.participant_id WHERE o.quarter_id = $1`,
      [quarterId],
    ) as Promise<{ id: string; status: string; attempts: number; lastError: string | null; email: string }[]>;

  /** The server's log joined with the rows by Message-ID: copies received per row id, for one domain. */
  const copiesByRow = (domain: string) => {
    const byRow = new Map<string, number>();
    for (const mail of smtp.received.filter((m) => m.to.endsWith(`@${domain}`)))
      byRow.set(outboxIdOf(mail.messageId), (byRow.get(outboxIdOf(mail.messageId)) ?? 0) + 1);
    return byRow;
  };

  it("retries a refusal of the sender's own credentials (535) instead of failing the send-out", async () => {
    // The server refuses the next two sign-ins, as while an operator is mending the password. First in
    // this file, so the worker's pooled connections sign in now.
    let refusals = 2;
    smtp.setAuthPolicy(() =>
      refusals-- > 0 ? { code: 535, message: '5.7.8 Authentication credentials invalid' } : null,
    );
    const before = smtp.authAttempts.length;
    const { quarterId } = await pilotWithKickoffDue(12, 'auth.example');
    await worker.tickAndDrain();

    const refusedSignIns = smtp.authAttempts.slice(before).filter((a) => a.code === 535);
    expect(refusedSignIns.map((a) => a.user)).toEqual(['luotsi', 'luotsi']);
    const rows = await rowsOf(quarterId);
    expect(rows).toHaveLength(12);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    // The sends that met a refused sign-in went again; every message arrived once.
    expect(rows.filter((r) => r.attempts > 1).length).toBeGreaterThanOrEqual(1);
    const byRow = copiesByRow('auth.example');
    expect([...byRow.keys()].sort()).toEqual(rows.map((r) => r.id).sort());
    expect([...byRow.values()].every((n) => n === 1)).toBe(true);
  });

  it('retries 451 with backoff until everything is delivered, none failed', async () => {
    const greylisted = (address: string) =>
      address.endsWith('@greylist.example') && Number(address.replace(/\D/g, '')) % 3 === 0;
    smtp.setPolicy((address, attempt) =>
      greylisted(address) && attempt <= 2
        ? { code: 451, message: '4.7.1 Greylisted, try again later' }
        : null,
    );
    const { quarterId } = await pilotWithKickoffDue(30, 'greylist.example');
    await worker.tickAndDrain();

    const rows = await rowsOf(quarterId);
    expect(rows).toHaveLength(30);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    const refused = rows.filter((r) => greylisted(r.email));
    expect(refused).toHaveLength(10);
    for (const row of refused) expect(row.attempts).toBe(3);
    for (const row of rows.filter((r) => !greylisted(r.email))) expect(row.attempts).toBe(1);

    // The server's log, joined with the rows: each row's message arrived exactly once.
    const byRow = copiesByRow('greylist.example');
    expect([...byRow.keys()].sort()).toEqual(rows.map((r) => r.id).sort());
    expect([...byRow.values()].every((n) => n === 1)).toBe(true);
    expect(smtp.attempts.filter((a) => a.code === 451)).toHaveLength(20);
  });

  it("records 550 as failed after one attempt, with the server's reason, and retries on request", async () => {
    const rejected = (address: string) =>
      address.endsWith('@reject.example') && Number(address.replace(/\D/g, '')) % 4 === 1;
    smtp.setPolicy((address) =>
      rejected(address) ? { code: 550, message: '5.1.1 No such user here' } : null,
    );
    const { owner, quarterId } = await pilotWithKickoffDue(20, 'reject.example');
    await worker.tickAndDrain();

    const rows = await rowsOf(quarterId);
    expect(rows).toHaveLength(20);
    expect(rows.filter((r) => r.status !== 'sent' && r.status !== 'failed')).toEqual([]);
    const failed = rows.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.email).sort()).toEqual(
      rows
        .map((r) => r.email)
        .filter(rejected)
        .sort(),
    );
    expect(failed).toHaveLength(5);
    for (const row of failed) {
      expect(row.attempts).toBe(1);
      expect(row.lastError).toMatch(/550.*No such user here/);
    }
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(15);
    expect(smtp.attempts.filter((a) => a.to.endsWith('@reject.example') && a.code === 550)).toHaveLength(5);
    // The server's log, joined with the rows: each sent row's message arrived exactly once, no failed
    // row's message arrived at all, and nothing arrived that is no row of the quarter.
    const byRow = copiesByRow('reject.example');
    expect(rows.filter((r) => r.status === 'sent').map((r) => [r.email, byRow.get(r.id) ?? 0])).toEqual(
      rows.filter((r) => r.status === 'sent').map((r) => [r.email, 1]),
    );
    expect(failed.map((r) => [r.email, byRow.get(r.id) ?? 0])).toEqual(failed.map((r) => [r.email, 0]));
    expect([...byRow.keys()].filter((id) => !rows.some((r) => r.id === id))).toEqual([]);

    // The coach sees them with their reasons...
    const report = await api.http
      .get(`/api/v1/quarters/${quarterId}/deliveries`)
      .set(bearer(owner.token))
      .expect(200);
    expect(report.body.counts).toMatchObject({ sent: 15, failed: 5 });
    expect(report.body.failed.map((f: { email: string }) => f.email).sort()).toEqual(
      failed.map((r) => r.email).sort(),
    );
    expect(report.body.failed[0].lastError).toMatch(/550/);

    // ...and, once the address is fixed at the other end, sends them again.
    smtp.setPolicy(() => null);
    const retry = await api.http
      .post(`/api/v1/quarters/${quarterId}/deliveries/retry`)
      .set(bearer(owner.token))
      .send({})
      .expect(200);
    expect(retry.body).toEqual({ retried: 5 });
    await worker.tickAndDrain();
    const after = await rowsOf(quarterId);
    expect(after.filter((r) => r.status === 'sent')).toHaveLength(20);
    // Now every row's message has arrived, each exactly once: the retried ones for the first time.
    const byRowAfter = copiesByRow('reject.example');
    expect([...byRowAfter.keys()].sort()).toEqual(after.map((r) => r.id).sort());
    expect([...byRowAfter.values()].every((n) => n === 1)).toBe(true);
  });
});
