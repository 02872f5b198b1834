import { Logger } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { AppConfig } from '@luotsi/config';
import { redisConnection } from '@luotsi/queue';

/** A reason not to start at all, printed as it is. */
export class StartupRefusal extends Error {
  override name = 'StartupRefusal';
}

/**
 * Refuses a Redis that may evict keys under memory pressure: an evicted job, lock or job scheduler is
 * simply gone, so mail and webhooks would silently wait for the reconcilers. Providers that disable
 * CONFIG cannot be asked; then the worker warns and starts.
 */
export async function refuseEvictingRedis(
  config: AppConfig,
  logger = new Logger('RedisCheck'),
): Promise<void> {
  const client = new Redis({
    ...(redisConnection(config.redis.url) as RedisOptions),
    lazyConnect: true,
    connectTimeout: 10_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  let policy: string | undefined;
  try {
    await client.connect();
    const answer = (await client.config('GET', 'maxmemory-policy')) as string[];
    policy = answer[1];
  } catch (error) {
    logger.warn(
      `could not read Redis' maxmemory-policy (${(error as Error).message}); make sure it is noeviction`,
    );
    return;
  } finally {
    client.disconnect();
  }
  if (policy === undefined) {
    logger.warn(`Redis did not report a maxmemory-policy; make sure it is noeviction`);
    return;
  }
  if (policy !== 'noeviction') {
    throw new StartupRefusal(
      `Refusing to start: Redis has maxmemory-policy "${policy}", but the worker needs "noeviction". ` +
        'With any eviction policy Redis drops keys when memory runs short, and an evicted key loses queued ' +
        'jobs, their locks and the job schedulers. Set maxmemory-policy noeviction (redis.conf, or ' +
        '`CONFIG SET maxmemory-policy noeviction`) and give Redis enough memory.',
    );
  }
}
