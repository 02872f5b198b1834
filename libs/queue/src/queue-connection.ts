import { ConnectionOptions, createPostgresBackend, setDefaultBackendFactory } from 'bullmq';
import { AppConfig } from '@luotsi/config';
import { redisConnection } from './redis-connection';

/**
 * The connection every queue, worker and scheduler uses. With QUEUE_BACKEND=postgres the queues live in
 * the application's own database (BullMQ's PostgreSQL backend, its tables in `public`, created on first
 * connect): the embedded demo runs so, with no Redis. The backend choice is process-wide in BullMQ.
 */
export function queueConnection(config: AppConfig): ConnectionOptions {
  if (config.queue.backend === 'postgres') {
    setDefaultBackendFactory(createPostgresBackend as never);
    return {
      connectionString: config.database.url,
      // The PGlite socket ignores a search_path set at connect time, so the tables go in `public`.
      schema: 'public',
      migrate: true,
      max: config.database.poolSize,
    } as unknown as ConnectionOptions;
  }
  return redisConnection(config.redis.url);
}
