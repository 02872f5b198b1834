import { randomBytes, randomUUID } from 'node:crypto';
import { CadenceTicker, ManualClock, RetentionService } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  participantCsv,
  signUp,
  Workspace,
} from './support/fixtures';

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2028-06-01T03:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

/**
 * The retention rules (docs/operations.md, "Retention") on the test clock: each deletes only what is past
 * its period, in batches, once a day whichever beat comes first; what has no rule stays.
 */
describe('retention', () => {
  let api: TestApi;
  let owner: Workspace;
  let quarterId: string;
  let participantIds: string[];
  let endpointId: string;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    api = await startApi({ clock });
    owner = await signUp(api.http);
    const organization = await createOrganization(api.http, owner.token);
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, { startQuarter: '2028-Q2' });
    await api.http
      .post(`/api/v1/pilots/${pilot.id}/participants/import`)
      .set(bearer(owner.token))
      .set('Content-Type', 'text/csv')
      .send(participantCsv(3, { domain: 'retention.example' }))
      .expect(200);
    const started = await api.http
      .post(`/api/v1/pilots/${pilot.id}/start`)
      .set(bearer(owner.token))
      .expect(200);
    quarterId = started.body.currentQuarter.id;
    participantIds = (
      await api.db.query(`SELECT id FROM participant WHERE workspace_id = $1 ORDER BY email`, [owner.id])
    ).map((row: { id: string }) => row.id);
    const endpoint = await api.http
      .post('/api/v1/webhooks')
      .set(bearer(owner.token))
      .send({ url: 'http://127.0.0.1:9/retention', events: ['report.ready'] })
      .expect(201);
    endpointId = endpoint.body.id;
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Rows of each kind, named by what they are, at their age; returns the names that should go. */
  async function seed(prefix: string): Promise<{ gone: string[]; kept: string[] }> {
    const outbox: [string, string, number][] = [
      ['sent-401', 'sent', 401],
      ['failed-500', 'failed', 500],
      ['suppressed-401', 'suppressed', 401],
      ['sent-399', 'sent', 399],
      ['pending-500', 'pending', 500],
      ['queued-500', 'queued', 500],
    ];
    for (const [name, status, age] of outbox)
      await api.db.query(
        `INSERT INTO outbox_message (workspace_id, key, template, due_at, status, sent_at)
         VALUES ($1, $2, 'prompt-kickoff', $3, $4, CASE WHEN $4 = 'sent' THEN $3::timestamptz END)`,
        [owner.id, `${prefix}.${name}`, daysAgo(age), status],
      );
    const webhooks: [string, string, number][] = [
      ['wh-sent-91', 'sent', 91],
      ['wh-failed-120', 'failed', 120],
      ['wh-sent-89', 'sent', 89],
      ['wh-pending-200', 'pending', 200],
    ];
    for (const [name, status, age] of webhooks)
      await api.db.query(
        `INSERT INTO webhook_delivery (workspace_id, endpoint_id, event, key, payload, status, updated_at)
         VALUES ($1, $2, 'report.ready', $3, '{}', $4, $5)`,
        [owner.id, endpointId, `${prefix}.${name}`, status, daysAgo(age)],
      );
    const tokens: [string, number, number][] = [
      ['ci-expired-31', 31, 0],
      ['ci-expired-29', 29, 1],
      ['ci-valid', -3, 2],
    ];
    for (const [name, age, i] of tokens)
      await api.db.query(
        `INSERT INTO check_in_token (token_hash, workspace_id, quarter_id, participant_id, week, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [Buffer.from(`${prefix}.${name}`), owner.id, quarterId, participantIds[i], 1 + i, daysAgo(age)],
      );
    const credentials: [string, number][] = [
      ['cred-expired-40', 40],
      ['cred-expired-10', 10],
    ];
    for (const [name, age] of credentials)
      await api.db.query(
        `INSERT INTO credential_token (workspace_id, member_id, purpose, token_hash, expires_at)
         VALUES ($1, $2, 'access', $3, $4)`,
        [owner.id, owner.ownerId, Buffer.from(`${prefix}.${name}`), daysAgo(age)],
      );
    const shares: [string, number][] = [
      ['share-expired-31', 31],
      ['share-expired-5', 5],
    ];
    for (const [name, age] of shares)
      await api.db.query(
        `INSERT INTO report_share (workspace_id, organization_id, report_kind, report_id, audience, token_hash, expires_at)
         VALUES ($1, $2, 'learning', $3, 'coach', $4, $5)`,
        [owner.id, randomUUID(), randomUUID(), `${prefix}.${name}`, daysAgo(age)],
      );
    const all = [...outbox, ...webhooks, ...tokens, ...credentials, ...shares].map(([name]) => name);
    const gone = [
      'sent-401',
      'failed-500',
      'suppressed-401',
      'wh-sent-91',
      'wh-failed-120',
      'ci-expired-31',
      'cred-expired-40',
      'share-expired-31',
    ];
    return { gone, kept: all.filter((name) => !gone.includes(name)) };
  }

  /** Which of a seed's rows are still there, by name. */
  async function present(prefix: string): Promise<string[]> {
    const rows: { name: string }[] = await api.db.query(
      `SELECT key AS name FROM outbox_message WHERE key LIKE $1
       UNION ALL SELECT key FROM webhook_delivery WHERE key LIKE $1
       UNION ALL SELECT encode(token_hash, 'escape') FROM check_in_token WHERE encode(token_hash, 'escape') LIKE $1
       UNION ALL SELECT encode(token_hash, 'escape') FROM credential_token WHERE encode(token_hash, 'escape') LIKE $1
       UNION ALL SELECT token_hash FROM report_share WHERE token_hash LIKE $1`,
      [`${prefix}.%`],
    );
    return rows.map((row) => row.name.slice(prefix.length + 1)).sort();
  }

  it("deletes on the day's first beat only what is past its period, and nothing more that day", async () => {
    const { gone, kept } = await seed('a');
    const ticker = api.app.get(CadenceTicker);

    const first = await ticker.tick();
    expect(first.retentionApplied).toBeGreaterThanOrEqual(gone.length);
    expect(await present('a')).toEqual([...kept].sort());
    const [run] = await api.db.query(`SELECT ran_on::text AS "ranOn", deleted FROM retention_run`);
    expect(run.ranOn).toBe('2028-06-01');
    expect(run.deleted).toMatchObject({ outboxMessages: 3, webhookDeliveries: 2, reportShares: 1 });

    // Later beats of the same day leave new expired rows for tomorrow.
    const second = await seed('b');
    expect((await ticker.tick()).retentionApplied).toBe(0);
    expect(await present('b')).toEqual([...second.gone, ...second.kept].sort());

    clock.set(new Date(NOW.getTime() + DAY));
    expect((await ticker.tick()).retentionApplied).toBeGreaterThanOrEqual(second.gone.length);
    // The next day's run: what was past its period goes (the "29 days" token is now exactly 30: it stays).
    expect(await present('b')).toEqual([...second.kept].sort());
    clock.set(NOW);
  });

  it('deletes in batches of the given size until a batch comes back short', async () => {
    const keys = Array.from({ length: 7 }, () => `batch.${randomBytes(6).toString('hex')}`);
    for (const key of keys)
      await api.db.query(
        `INSERT INTO outbox_message (workspace_id, key, template, due_at, status, sent_at)
         VALUES ($1, $2, 'prompt-kickoff', $3, 'sent', $3)`,
        [owner.id, key, daysAgo(1000)],
      );
    // Seven rows at two per statement: four statements, each deleting at most two (its LIMIT).
    const deleted = await api.app.get(RetentionService).apply(NOW, 2);
    expect(deleted.outboxMessages).toBe(7);
    const left = await api.db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE key LIKE 'batch.%'`);
    expect(left[0].n).toBe(0);
  });
});
