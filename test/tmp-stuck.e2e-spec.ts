import { Queue } from 'bullmq';
import { CadenceTicker } from '@luotsi/domain';
import { QueueName, redisConnection } from '@luotsi/queue';
import { startApi } from './support/api';
import { countByStatus, outboxRows, prepareDueFanOut, workerEnv, deleteQueueKeys } from './support/faults';
import { killAll, spawnApp, waitFor } from './support/processes';
import { startSmtpServer } from './support/smtp';

it('stuck', async () => {
  const smtp = await startSmtpServer();
  const api = await startApi({ env: { SMTP_URL: smtp.url } });
  const q = new Queue(QueueName.Delivery, { connection: redisConnection(api.env.REDIS_URL), prefix: api.env.QUEUE_PREFIX });
  try {
    const fan = await prepareDueFanOut(api.http, { participants: 600, domain: 'stuck.example' });
    const quarterId = await fan.start();
    const env = { ...workerEnv(api.env, smtp.url), MAIL_RETRY_ATTEMPTS: '2' };
    const w1 = spawnApp('worker', env);
    await waitFor(async () => ((await countByStatus(api.db, quarterId)).sent ?? 0) >= 100, 45000);
    w1.child.kill('SIGKILL'); await w1.exited;
    const rows = await outboxRows(api.db, quarterId);
    const flying = rows.filter((r) => r.status === 'queued' && r.claimedAt);
    console.log('inflight', flying.length);
    const w2 = spawnApp('worker', env);
    await waitFor(async () => (await q.getJobCounts('failed')).failed >= flying.length && ((await countByStatus(api.db, quarterId)).sent ?? 0) >= 600 - flying.length, 100000);
    const failed = await q.getJobs(['failed']);
    console.log('failed jobs', failed.map((j) => [j.id, j.failedReason, j.attemptsMade, j.stalledCounter]));
    const tick = await api.app.get(CadenceTicker).tick({ requeueAfterMs: 0 });
    console.log('tick', tick);
    await new Promise((r) => setTimeout(r, 3000));
    console.log('counts after requeue', await countByStatus(api.db, quarterId), await q.getJobCounts('failed', 'waiting', 'active', 'delayed'));
    w2.child.kill('SIGTERM'); await w2.exited;
  } finally {
    killAll(); await q.close(); await deleteQueueKeys(api.env.REDIS_URL, api.env.QUEUE_PREFIX); await api.close(); await smtp.close();
  }
}, 170000);
