import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { AppConfig } from '@luotsi/config';

/**
 * Where the participant pages' per-address counts live: in Redis, so one limit holds across every API
 * process (each key under the installation's prefix). Should Redis fail, each process counts in its own
 * memory until it is back, rather than refusing people their forms. With the queues on PostgreSQL (the
 * embedded demo) there is no Redis, and memory is all.
 */
@Injectable()
export class ParticipantPageLimits implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger(ParticipantPageLimits.name);
  private readonly memory = new ThrottlerStorageService();
  private readonly redis?: Redis;
  private readonly shared?: ThrottlerStorageRedisService;
  private failing = false;

  constructor(config: AppConfig) {
    if (config.queue.backend !== 'redis') return;
    // No offline queue: a command fails at once while Redis is away, and memory answers.
    this.redis = new Redis(config.redis.url, {
      keyPrefix: `${config.redis.queuePrefix}:limits:pages:`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    this.redis.on('error', () => undefined);
    this.shared = new ThrottlerStorageRedisService(this.redis);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ReturnType<ThrottlerStorage['increment']> {
    if (this.shared) {
      try {
        const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
        this.failing = false;
        return record;
      } catch (error) {
        if (!this.failing) this.logger.warn(`rate limits counted in memory: ${(error as Error).message}`);
        this.failing = true;
      }
    }
    return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  async onModuleDestroy(): Promise<void> {
    this.memory.onApplicationShutdown();
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
