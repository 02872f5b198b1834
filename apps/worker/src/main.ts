import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppConfig, ConfigError } from '@luotsi/config';
import { WorkerModule } from './worker.module';
import { refuseEvictingRedis, StartupRefusal } from './redis-eviction';

/**
 * Starts the worker with no HTTP server. On SIGTERM it stops taking jobs and lets running ones finish;
 * past SHUTDOWN_TIMEOUT_MS it exits anyway, and BullMQ hands the unfinished jobs to another worker.
 */
async function main(): Promise<void> {
  const config = AppConfig.fromEnvironment();
  if (config.queue.backend === 'redis') await refuseEvictingRedis(config);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config }), {
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal}: draining running jobs`);
      setTimeout(() => {
        logger.error(`still draining after ${config.worker.shutdownTimeoutMs} ms; exiting`);
        process.exit(1);
      }, config.worker.shutdownTimeoutMs).unref();
      // close() runs beforeApplicationShutdown (workers drain) before the database closes.
      app.close().then(
        () => {
          logger.log('stopped cleanly');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(error);
          process.exit(1);
        },
      );
    });
  }
  await app.init();
  logger.log(`worker ${process.pid} ready (concurrency ${config.worker.concurrency})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof StartupRefusal ? error.message : error);
  process.exit(1);
});
