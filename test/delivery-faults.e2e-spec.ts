import { Queue } from 'bullmq';
import { QueueName, redisConnection } from '@luotsi/queue';
import { startApi, TestApi } from './support/api';
import {
  countByStatus,
  deleteQueueKeys,
  FAULT_STEP,
  joinMail,
  OutboxRow,
  outboxRows,
  prepareDueFanOut,
  startScheduler,
  waitUntilSettled,
  workerEnv,
} from './support/faults';
import { AppProcess, killAll, spawnApp, waitFor } from './support/processes';
import { startSmtpServer, TestSmtpServer } from './support/smtp';

const CONCURRENCY = 8;
// Long enough that a send on a loaded machine (CI beside other work) never outlives its own claim or
// lock, which would let a live send be taken over and sent twice; short enough for a test.
const LOCK_MS = 8000;
const CLAIM_TIMEOUT_MS = 8000;
const VERBOSE = !!process.env.DELIVERY_FAULTS_VERBOSE;

const statuses = (rows: OutboxRow[]) =>
  rows.reduce<Record<string, number>>(
    (acc, row) => ({ ...acc, [row.status]: (acc[row.status] ?? 0) + 1 }),
    {},
  );
const inFlight = (rows: OutboxRow[]) => rows.filter((row) => row.status === 'queued' && row.claimedAt);

/**
 * Faults in the delivery path, against real worker processes, a real Redis, Postgres and SMTP server.
 * Each case fans one cadence step out to its own pilot in real time, breaks something in the middle,
 * and then joins the SMTP server's log to the outbox rows by Message-ID: every row ends `sent` with its
 * mail received, and a mail arrives twice only where the fault allows it.
 */
describe('delivery under faults', () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  afterAll(async () => {
    killAll();
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
  });

  /** Its own database, queue prefix and SMTP server per case. */
  async function startRun(): Promise<{ api: TestApi; smtp: TestSmtpServer }> {
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const api = await startApi({ env: { SMTP_URL: smtp.url } });
    cleanups.push(() => api.close());
    // Only this run's keys; other test files share the Redis.
    cleanups.push(() => deleteQueueKeys(api.env.REDIS_URL, api.env.QUEUE_PREFIX));
    return { api, smtp };
  }

  const queue = (api: TestApi, name: QueueName) => {
    const q = new Queue(name, {
      connection: redisConnection(api.env.REDIS_URL),
      prefix: api.env.QUEUE_PREFIX,
    });
    cleanups.push(() => q.close());
    return q;
  };

  /** SIGTERM: running sends finish, so nothing arrives at the SMTP server after this resolves. */
  async function stop(worker: AppProcess): Promise<void> {
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  }

  const sentCount = async (api: TestApi, quarterId: string) =>
    (await countByStatus(api.db, quarterId)).sent ?? 0;

  it('(a) a worker SIGKILLed mid fan-out of 2,000: a new worker sends every row; duplicates only of sends in flight', async () => {
    const N = 2000;
    const started = Date.now();
    const { api, smtp } = await startRun();
    const fanOut = await prepareDueFanOut(api.http, { participants: N, domain: 'crash.example' });
    const quarterId = await fanOut.start();
    // A dead worker's jobs return to the queue once their lock lapses (QUEUE_LOCK_MS), and the next
    // worker takes over a claim older than MAIL_CLAIM_TIMEOUT_MS. The defaults (30 s, 2 min) suit real
    // SMTP timeouts; a local SMTP server answers in milliseconds, so seconds say the same here.
    const env = {
      ...workerEnv(api.env, smtp.url),
      QUEUE_LOCK_MS: String(LOCK_MS),
      MAIL_CLAIM_TIMEOUT_MS: String(CLAIM_TIMEOUT_MS),
      SHUTDOWN_TIMEOUT_MS: '10000',
    };

    const first = spawnApp('worker', env);
    await waitFor(
      async () => (await sentCount(api, quarterId)) >= 300,
      45_000,
      () => first.output().slice(-2000),
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const killedAt = Date.now();

    const atKill = await outboxRows(api.db, quarterId);
    const flying = inFlight(atKill);
    const flyingIds = new Set(flying.map((row) => row.id));
    const sentAtKill = statuses(atKill).sent ?? 0;
    const receivedAtKill = smtp.received.length;
    // The fan-out was whole before sending began, and the kill came in the middle of sending.
    expect(atKill).toHaveLength(N);
    expect(sentAtKill).toBeGreaterThanOrEqual(300);
    expect(sentAtKill).toBeLessThan(N);
    expect(flying.length).toBeLessThanOrEqual(CONCURRENCY);

    const second = spawnApp('worker', env);
    await waitUntilSettled(api.db, quarterId, N, 60_000, () => second.output().slice(-2000));
    const settledAfterMs = Date.now() - killedAt;
    await stop(second);

    const rows = await outboxRows(api.db, quarterId);
    expect(rows).toHaveLength(N);
    expect(statuses(rows)).toEqual({ sent: N });
    const join = joinMail(rows, smtp.received);
    expect(join.foreign).toEqual([]);
    // None lost: every row's message arrived.
    expect(join.missing).toEqual([]);
    // A second copy only of a send in flight at the kill, at most one each.
    expect(join.duplicated.filter((id) => !flyingIds.has(id))).toEqual([]);
    expect(join.duplicates).toBeLessThanOrEqual(flying.length);
    expect(smtp.received.length).toBe(N + join.duplicates);
    // Rows the first worker finished were not claimed again.
    const doneAtKill = atKill.filter((row) => row.status === 'sent').map((row) => row.id);
    const after = new Map(rows.map((row) => [row.id, row]));
    expect(doneAtKill.filter((id) => after.get(id)!.attempts !== 1)).toEqual([]);

    if (VERBOSE)
      console.log(
        JSON.stringify({
          case: 'a',
          rows: N,
          sentAtKill,
          receivedAtKill,
          inFlightAtKill: flying.length,
          received: smtp.received.length,
          duplicates: join.duplicates,
          settledAfterKillMs: settledAfterMs,
          totalMs: Date.now() - started,
        }),
      );
  }, 120_000);

  it('(b) Redis loses the run’s keys mid fan-out: the reconciler queues what was lost, none lost', async () => {
    const N = 1000;
    const started = Date.now();
    const { api, smtp } = await startRun();
    const cadence = queue(api, QueueName.Cadence);
    const fanOut = await prepareDueFanOut(api.http, { participants: N, domain: 'flush.example' });
    const quarterId = await fanOut.start();
    // Sends cut off by the wipe are taken over once their claim is older than MAIL_CLAIM_TIMEOUT_MS;
    // a local SMTP server answers in milliseconds, so a few seconds stand for the default two minutes.
    const worker = spawnApp('worker', {
      ...workerEnv(api.env, smtp.url),
      QUEUE_LOCK_MS: String(LOCK_MS),
      MAIL_CLAIM_TIMEOUT_MS: String(CLAIM_TIMEOUT_MS),
    });
    await waitFor(
      async () => (await sentCount(api, quarterId)) >= 250,
      45_000,
      () => worker.output().slice(-2000),
    );

    const deleted = await deleteQueueKeys(api.env.REDIS_URL, api.env.QUEUE_PREFIX);
    const flushedAt = Date.now();
    const atFlush = await outboxRows(api.db, quarterId);
    const inFlightAtFlush = inFlight(atFlush).length;
    expect(deleted).toBeGreaterThan(0);
    // The wipe came mid-way: the fan-out was whole, some was sent (read after the wipe, so at most
    // this many were sent before it), and a good part still waited on the queue for its job.
    const sentAtFlush = statuses(atFlush).sent ?? 0;
    const waitingAtFlush = atFlush.filter((row) => row.status === 'queued' && !row.claimedAt);
    expect(atFlush).toHaveLength(N);
    expect(sentAtFlush).toBeGreaterThanOrEqual(250);
    expect(sentAtFlush).toBeLessThan(N);
    expect(waitingAtFlush.length).toBeGreaterThan(CONCURRENCY);

    // The worker recovers by itself: it puts its tick scheduler back (it lived in Redis), and the tick
    // queues again every row whose job went with the keys.
    await waitUntilSettled(api.db, quarterId, N, 40_000, () => worker.output().slice(-2000));
    const settledAfterMs = Date.now() - flushedAt;
    await stop(worker);

    const rows = await outboxRows(api.db, quarterId);
    expect(statuses(rows)).toEqual({ sent: N });
    const join = joinMail(rows, smtp.received);
    expect(join.foreign).toEqual([]);
    expect(join.missing).toEqual([]);
    // At most the sends in flight at the flush can arrive twice.
    expect(join.duplicates).toBeLessThanOrEqual(inFlightAtFlush);
    expect(smtp.received).toHaveLength(N + join.duplicates);
    expect((await cadence.getJobSchedulers()).length).toBe(1);
    // The reconciler re-enqueued what the wipe took: a row waiting for its lost job was sent under a new
    // generation (only the few whose job a worker had already fetched went under their first); a row
    // sent before the wipe was never queued again.
    const requeued = rows.filter((row) => row.generation > 1);
    const waitingIds = new Set(waitingAtFlush.map((row) => row.id));
    expect(waitingAtFlush.filter((row) => !requeued.some((r) => r.id === row.id)).length).toBeLessThanOrEqual(
      CONCURRENCY,
    );
    const sentBefore = new Set(atFlush.filter((row) => row.status === 'sent').map((row) => row.id));
    expect(requeued.filter((row) => sentBefore.has(row.id))).toEqual([]);

    if (VERBOSE)
      console.log(
        JSON.stringify({
          case: 'b',
          sentAtFlush,
          waitingAtFlush: waitingAtFlush.length,
          requeued: requeued.length,
          requeuedOfWaiting: requeued.filter((row) => waitingIds.has(row.id)).length,
          rows: N,
          keysDeleted: deleted,
          inFlightAtFlush,
          received: smtp.received.length,
          duplicates: join.duplicates,
          settledAfterFlushMs: settledAfterMs,
          totalMs: Date.now() - started,
        }),
      );
  }, 90_000);

  it('(e) two schedulers tick at once and two worker processes consume: exactly one mail per row', async () => {
    const N = 1000;
    const started = Date.now();
    const { api, smtp } = await startRun();
    const delivery = queue(api, QueueName.Delivery);
    const fanOut = await prepareDueFanOut(api.http, { participants: N, domain: 'race.example' });
    const [a, b] = await Promise.all([startScheduler(api.env), startScheduler(api.env)]);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    const env = workerEnv(api.env, smtp.url);
    const workers = [spawnApp('worker', env), spawnApp('worker', env)];
    await Promise.all(workers.map((w) => w.waitForOutput(/ready \(concurrency 8\)/, 45_000)));
    expect(await delivery.getWorkersCount()).toBe(2);

    // The step becomes due; two schedulers dispatch it at the same moment (the workers' own ticks,
    // every 200 ms, join the race too).
    const quarterId = await fanOut.start();
    const ticks = await Promise.all([a.ticker.tick(), b.ticker.tick()]);
    expect(ticks[0].dispatched + ticks[1].dispatched).toBeLessThanOrEqual(1);

    await waitUntilSettled(api.db, quarterId, N, 45_000, () => workers[0].output().slice(-2000));
    const settledAfterMs = Date.now() - started;
    await Promise.all(workers.map(stop));

    const dispatches = await api.db.query(
      `SELECT step_key AS "stepKey", recipients FROM cadence_dispatch WHERE quarter_id = $1`,
      [quarterId],
    );
    expect(dispatches).toEqual([{ stepKey: FAULT_STEP, recipients: N }]);
    const rows = await outboxRows(api.db, quarterId);
    expect(statuses(rows)).toEqual({ sent: N });
    // Each row was queued once and claimed once.
    expect(rows.filter((row) => row.generation !== 1 || row.attempts !== 1)).toEqual([]);
    const join = joinMail(rows, smtp.received);
    expect(join.foreign).toEqual([]);
    expect(join.missing).toEqual([]);
    expect(join.duplicated).toEqual([]);
    expect(smtp.received).toHaveLength(N);

    if (VERBOSE)
      console.log(
        JSON.stringify({
          case: 'e',
          rows: N,
          ticks,
          received: smtp.received.length,
          duplicates: join.duplicates,
          settledMs: settledAfterMs,
          totalMs: Date.now() - started,
        }),
      );
  }, 90_000);
  it('(f) the database refuses to record sent mails for a while: each is recorded on a second try, none sent twice', async () => {
    const N = 300;
    const REFUSED = 16;
    const { api, smtp } = await startRun();
    const fanOut = await prepareDueFanOut(api.http, { participants: N, domain: 'record.example' });
    // A real error from Postgres (a deadlock's code) for the first REFUSED updates that mark a mail sent,
    // after the SMTP server has accepted it: the sequence counts across transactions, rollbacks included.
    await api.db.query(`CREATE SEQUENCE refused_records`);
    await api.db.query(`
      CREATE FUNCTION refuse_some_records() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'sent' AND OLD.status <> 'sent' AND nextval('refused_records') <= ${REFUSED} THEN
          RAISE EXCEPTION 'injected: deadlock detected' USING ERRCODE = '40P01';
        END IF;
        RETURN NEW;
      END $$`);
    await api.db.query(`
      CREATE TRIGGER refuse_some_records BEFORE UPDATE ON outbox_message
        FOR EACH ROW EXECUTE FUNCTION refuse_some_records()`);
    const worker = spawnApp('worker', {
      ...workerEnv(api.env, smtp.url),
      QUEUE_LOCK_MS: String(LOCK_MS),
      MAIL_CLAIM_TIMEOUT_MS: String(CLAIM_TIMEOUT_MS),
    });
    await worker.waitForOutput(/ready \(concurrency 8\)/, 45_000);

    const quarterId = await fanOut.start();
    await waitUntilSettled(api.db, quarterId, N, 45_000, () => worker.output().slice(-2000));
    // Longer than the claim timeout: a claim left behind by an unrecorded send would have lapsed by now
    // and its mail gone out again.
    await new Promise((resolve) => setTimeout(resolve, CLAIM_TIMEOUT_MS + 4000));
    await stop(worker);

    const [{ refused }] = await api.db.query(`SELECT last_value AS refused FROM refused_records`);
    expect(Number(refused)).toBeGreaterThan(REFUSED);
    const rows = await outboxRows(api.db, quarterId);
    expect(statuses(rows)).toEqual({ sent: N });
    expect(rows.filter((row) => row.generation !== 1 || row.attempts !== 1)).toEqual([]);
    const join = joinMail(rows, smtp.received);
    expect(join.missing).toEqual([]);
    expect(join.duplicated).toEqual([]);
    expect(smtp.received).toHaveLength(N);
  }, 120_000);
});
