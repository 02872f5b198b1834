import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { bearer, createOrganization, createPilot, createRollout, signUp } from './support/fixtures';
import { waitFor } from './support/processes';
import { startWorker, TestWorker } from './support/worker';

/**
 * A report build whose job Redis lost is not lost: the scheduler's beat finds the row still queued with
 * no job to run it, gives it a new generation and job, and the worker builds it.
 */
describe('report builds lost with Redis', () => {
  let api: TestApi;
  let worker: TestWorker;
  const clock = new ManualClock(new Date('2027-01-20T12:00:00Z'));

  beforeAll(async () => {
    api = await startApi({ clock });
    worker = await startWorker(api.env, clock);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it('queues a learning and a readiness build again when their jobs are gone, and both get built', async () => {
    const owner = await signUp(api.http);
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id, { startQuarter: '2027-Q1' });
    const started = await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const quarterId = started.body.currentQuarter.id as string;

    // Two rows that were queued, as if their jobs had been added, and then Redis lost them.
    const [learning] = await api.db.query(
      `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, generation, progress, requested_at, updated_at)
       VALUES ($1, $2, $3, $4, 'queued', 3, 0, now(), now() - interval '10 minutes') RETURNING id`,
      [owner.id, organization.id, pilot.id, quarterId],
    );
    const [readiness] = await api.db.query(
      `INSERT INTO readiness_report (workspace_id, organization_id, rollout_id, status, progress, updated_at)
       VALUES ($1, $2, $3, 'building', 10, now() - interval '10 minutes') RETURNING id`,
      [owner.id, organization.id, rollout.id],
    );
    // One that failed for good stays failed: that is final and visible.
    const [failed] = await api.db.query(
      `INSERT INTO readiness_report (workspace_id, organization_id, rollout_id, status, progress, last_error, updated_at)
       VALUES ($1, $2, $3, 'failed', 10, 'boom', now() - interval '10 minutes') RETURNING id`,
      [owner.id, organization.id, rollout.id],
    );

    const result = await worker.ticker.tick({ requeueAfterMs: 60_000 });
    expect(result.reportsRequeued).toBe(2);
    const rows = async () =>
      Object.fromEntries(
        (
          await api.db.query(
            `SELECT id, status, generation FROM learning_report WHERE id = $1
             UNION ALL SELECT id, status, generation FROM readiness_report WHERE id IN ($2, $3)`,
            [learning.id, readiness.id, failed.id],
          )
        ).map((r: { id: string; status: string; generation: number }) => [r.id, r]),
      );
    let seen: Record<string, { status: string }> = {};
    await waitFor(
      async () => {
        seen = await rows();
        return seen[learning.id].status === 'ready' && seen[readiness.id].status === 'ready';
      },
      30_000,
      () => JSON.stringify(seen),
    );
    const after = await rows();
    expect(after[learning.id].generation).toBe(4);
    expect(after[readiness.id].generation).toBe(2);
    expect(after[failed.id]).toMatchObject({ status: 'failed', generation: 1 });

    // A fresh row with a live job is left alone.
    const again = await worker.ticker.tick({ requeueAfterMs: 60_000 });
    expect(again.reportsRequeued).toBe(0);
  });
});
