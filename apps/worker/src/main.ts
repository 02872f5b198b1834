import { setFlagsFromString } from 'node:v8';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppConfig, closeOnSignals, ConfigError } from '@luotsi/config';
import { WorkerModule } from './worker.module';
import { refuseEvictingRedis, StartupRefusal } from './redis-eviction';

/**
 * The worker keeps little alive (about 55 MB of heap through a fan-out of 8,000 mails) but allocates
 * fast, and V8's default lets garbage grow to several times that between full collections. Growing
 * the heap by a quarter over what survived keeps its memory near what it uses, for a few more full
 * collections; unlike a fixed limit, it still lets a large report build take what it needs.
 */
setFlagsFromString('--heap-growing-percent=25');

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
  // close() runs beforeApplicationShutdown (workers drain) before the database closes.
  closeOnSignals(app, logger, { timeoutMs: config.worker.shutdownTimeoutMs, doing: 'draining running jobs' });
  await app.init();
  logger.log(`worker ${process.pid} ready (concurrency ${config.worker.concurrency})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof StartupRefusal ? error.message : error);
  process.exit(1);
});
