import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { CadenceTicker, Clock } from '@luotsi/domain';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { waitFor } from './processes';

export interface TestWorker {
  app: INestApplicationContext;
  ticker: CadenceTicker;
  /** Runs one scheduler tick and waits until every queued outbox row has been handled. */
  tickAndDrain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The real worker app (BullMQ on the real Redis) in the test process, sharing the test's clock. */
export async function startWorker(env: Record<string, string>, clock?: Clock): Promise<TestWorker> {
  const config = AppConfig.fromEnvironment({
    CADENCE_TICK_MS: '3600000',
    HEARTBEAT_EVERY_MS: '3600000',
    ...env,
  });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, clock }), {
    logger: false,
  });
  await app.init();
  const ticker = app.get(CadenceTicker);
  const db = app.get(DataSource);
  return {
    app,
    ticker,
    tickAndDrain: async (timeoutMs = 30_000) => {
      await ticker.tick();
      await waitFor(
        async () =>
          (await db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE status = 'queued'`))[0].n ===
          0,
        timeoutMs,
        () => 'outbox rows still queued',
      );
    },
    close: () => app.close(),
  };
}
