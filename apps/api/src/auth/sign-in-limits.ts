import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import Redis from 'ioredis';
import {
  IRateLimiterOptions,
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { AppConfig } from '@luotsi/config';

/** Failures an account may have before it is locked out; each one after doubles the lockout. */
const FREE_FAILURES = 5;
const IP_WINDOW_S = 15 * 60;

/** Answers 429 with Retry-After; the wording says nothing of whether the account exists. */
export function tooManyAttempts(response: Response, msBeforeNext: number): never {
  response.setHeader('Retry-After', String(Math.max(1, Math.ceil(msBeforeNext / 1000))));
  throw new HttpException('Too many attempts; try again later.', HttpStatus.TOO_MANY_REQUESTS);
}

const isLimited = (rejection: unknown): rejection is RateLimiterRes => rejection instanceof RateLimiterRes;

/**
 * Sign-in, sign-up and invitation limits, kept in Redis so they hold across API processes: per address
 * (unsuccessful sign-ins, sign-ups and acceptances) and per account (exponential backoff after
 * consecutive failures, whatever the address). Should Redis fail, each process falls back to counting in
 * memory. With the queues on PostgreSQL (the embedded demo) there is no Redis, and memory is all.
 */
@Injectable()
export class SignInLimits implements OnModuleDestroy {
  private readonly redis?: Redis;
  private readonly perIp: RateLimiterAbstract;
  private readonly failures: RateLimiterAbstract;
  private readonly lockouts: RateLimiterAbstract;
  private readonly signUps: RateLimiterAbstract;

  constructor(private readonly config: AppConfig) {
    const limits = config.signInLimits;
    if (config.queue.backend === 'redis') {
      // No offline queue: a command fails at once while Redis is away, and the memory insurance answers.
      this.redis = new Redis(config.redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      this.redis.on('error', () => undefined);
    }
    const prefix = `${config.redis.queuePrefix}:limits`;
    this.perIp = this.limiter(`${prefix}:sign-in-ip`, {
      points: limits.attemptsPerIp,
      duration: IP_WINDOW_S,
      blockDuration: IP_WINDOW_S,
    });
    // Consecutive failures per account, forgotten a day after the last one or at a success.
    this.failures = this.limiter(`${prefix}:sign-in-failures`, { points: 1_000_000, duration: 86_400 });
    this.lockouts = this.limiter(`${prefix}:sign-in-lockout`, { points: 1, duration: 1 });
    this.signUps = this.limiter(`${prefix}:sign-up-ip`, {
      points: limits.signUpsPerIpPerHour,
      duration: 3600,
    });
  }

  /** Counts the attempt against the address and refuses it while the address or the account is locked. */
  async beforeSignIn(ip: string, email: string, response: Response): Promise<void> {
    await this.perIp.consume(ip).catch((rejection: unknown) => {
      if (isLimited(rejection)) tooManyAttempts(response, rejection.msBeforeNext);
      throw rejection;
    });
    const lockout = await this.lockouts.get(accountKey(email));
    if (lockout && lockout.consumedPoints > 1 && lockout.msBeforeNext > 0) {
      tooManyAttempts(response, lockout.msBeforeNext);
    }
  }

  /** A wrong password (or unknown email, alike): past the free failures the account waits, doubling. */
  async failedSignIn(email: string): Promise<void> {
    const key = accountKey(email);
    const { consumedPoints } = await this.failures.consume(key);
    if (consumedPoints < FREE_FAILURES) return;
    const { backoffBaseMs, backoffMaxMs } = this.config.signInLimits;
    const ms = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.min(30, consumedPoints - FREE_FAILURES));
    await this.lockouts.block(key, Math.max(1, Math.round(ms / 1000)));
  }

  /** A success does not count against the address, and clears the account's failures. */
  async succeededSignIn(ip: string, email: string): Promise<void> {
    await Promise.all([this.perIp.reward(ip), this.failures.delete(accountKey(email))]);
  }

  /** Sign-ups and invitation acceptances, per address. */
  async beforeSignUp(ip: string, response: Response): Promise<void> {
    await this.signUps.consume(ip).catch((rejection: unknown) => {
      if (isLimited(rejection)) tooManyAttempts(response, rejection.msBeforeNext);
      throw rejection;
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }

  private limiter(keyPrefix: string, options: IRateLimiterOptions): RateLimiterAbstract {
    const insurance = new RateLimiterMemory({ ...options, keyPrefix });
    if (!this.redis) return insurance;
    return new RateLimiterRedis({
      ...options,
      keyPrefix,
      storeClient: this.redis,
      insuranceLimiter: insurance,
    });
  }
}

/** Emails are not kept in Redis: the account's key is a digest of the normalised address. */
const accountKey = (email: string): string =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
