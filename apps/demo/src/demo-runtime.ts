import { randomBytes } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { dataSourceOptions } from '@luotsi/database';
import { CadenceTicker, ManualClock } from '@luotsi/domain';
import { createApiApp } from '../../api/src/api.app';
import { WorkerModule } from '../../worker/src/worker.module';
import { CadenceProcessor } from '../../worker/src/processors/cadence.processor';
import { DeliveryProcessor } from '../../worker/src/processors/delivery.processor';
import { MaintenanceProcessor } from '../../worker/src/processors/maintenance.processor';
import { ReportProcessor } from '../../worker/src/processors/report.processor';
import { freePort } from './free-port';

export interface DemoRuntime {
  config: AppConfig;
  clock: ManualClock;
  /** Where the API listens, e.g. http://127.0.0.1:41234. */
  baseUrl: string;
  db: DataSource;
  api: INestApplication;
  worker: INestApplicationContext;
  /** One scheduler beat on the demo clock, then waits until every due mail has been handled. */
  tick(): Promise<void>;
  /** Waits until the queues have no report left to build. */
  settleReports(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API and the worker in this process, on one clock the demo moves: migrations first, then both apps
 * as production runs them (real queues, real delivery), except that the scheduler's beat is driven by the
 * demo instead of a timer.
 */
export async function startRuntime(env: Record<string, string>, clock: ManualClock): Promise<DemoRuntime> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = AppConfig.fromEnvironment({
    ...env,
    PORT: String(port),
    PUBLIC_BASE_URL: baseUrl,
    // The demo beats the scheduler itself; these timers would only add noise.
    CADENCE_TICK_MS: '3600000',
    HEARTBEAT_EVERY_MS: '3600000',
    PARTICIPANT_PAGE_RATE_PER_MINUTE: '100000',
    DEFAULT_DAILY_SEND_QUOTA: env.DEFAULT_DAILY_SEND_QUOTA ?? '100000',
    ACCESS_TOKEN_TTL_HOURS: String(24 * 90),
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    // A fresh operator token each run opens the queue board (main prints it); never one from the shell.
    OPERATOR_TOKEN: randomBytes(24).toString('base64url'),
  });

  const migrator = new DataSource(dataSourceOptions(config.database.url, 1));
  await migrator.initialize();
  await migrator.runMigrations();
  await migrator.destroy();

  const api = await createApiApp({ config, clock });
  await api.listen(port, '127.0.0.1');
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, clock }), {
    logger: false,
  });
  await worker.init();
  if (config.queue.backend === 'postgres') {
    // BullMQ's Postgres backend wakes idle workers with LISTEN/NOTIFY, which PGlite's one shared session
    // cannot deliver to another connection: an idle worker would sleep drainDelay (5 s) before looking
    // again. A short idle keeps each beat of the demo quick.
    const workers = [
      worker.get(MaintenanceProcessor).worker,
      worker.get(CadenceProcessor).worker,
      worker.get(ReportProcessor).worker,
      worker.get(DeliveryProcessor).worker,
    ];
    for (const bull of workers) if (bull) bull.opts.drainDelay = 0.05;
  }
  const db = api.get(DataSource);
  const ticker = worker.get(CadenceTicker);

  const waitUntil = async (condition: () => Promise<boolean>, timeoutMs: number, what: string) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`demo: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  return {
    config,
    clock,
    baseUrl,
    db,
    api,
    worker,
    tick: async () => {
      await ticker.tick();
      await waitUntil(
        async () =>
          (await db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE status = 'queued'`))[0].n ===
          0,
        600_000,
        'the mail to be sent',
      );
    },
    settleReports: (timeoutMs = 300_000) =>
      waitUntil(
        async () =>
          (
            await db.query(
              `SELECT (SELECT count(*) FROM learning_report WHERE status IN ('queued', 'building'))
                    + (SELECT count(*) FROM readiness_report WHERE status IN ('queued', 'building')) AS n`,
            )
          )[0].n === '0',
        timeoutMs,
        'the reports to be built',
      ),
    close: async () => {
      await worker.close();
      await api.close();
    },
  };
}
