import { createHash, createHmac } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Env, parseEnv } from './config.schema';
import type { TrustProxy } from './trust-proxy';

/**
 * The key for webhook secrets: `WEBHOOK_SECRET_KEY` decoded, or outside production (where the schema
 * requires the variable) a fixed development key, so secrets stored in development survive restarts.
 */
export function webhookSecretKey(configured: string | undefined): Buffer {
  return configured
    ? Buffer.from(configured, 'base64')
    : createHash('sha256').update('luotsi development webhook secret key').digest();
}

/**
 * The key that signs each mail's bounce reference (`X-Luotsi-Mail`, the VERP address), derived from the
 * webhook secret key so there is no further secret to keep: a bounce cannot name a message it did not get.
 */
export function bounceKey(secretKey: Buffer): Buffer {
  return createHmac('sha256', secretKey).update('luotsi bounce reference').digest();
}

/**
 * The key that seals the owners' TOTP secrets (AES-256-GCM), derived from the webhook secret key as the
 * bounce key is: one secret to keep, each use with a key of its own.
 */
export function secondFactorKey(secretKey: Buffer): Buffer {
  return createHmac('sha256', secretKey).update('luotsi second factor secret').digest();
}

/** The typed, nested view of the environment that services inject. */
export class AppConfig {
  readonly env: Env['NODE_ENV'];
  readonly http: { host: string; port: number; publicBaseUrl: string };
  readonly database: { url: string; poolSize: number };
  readonly redis: { url: string; queuePrefix: string };
  readonly worker: {
    concurrency: number;
    shutdownTimeoutMs: number;
    heartbeatEveryMs: number;
    lockMs: number;
  };
  /** `secondFactorKey` seals the owners' TOTP secrets at rest. */
  readonly auth: { accessTokenTtlHours: number; invitationTtlHours: number; secondFactorKey: Buffer };
  readonly signInLimits: {
    backoffBaseMs: number;
    backoffMaxMs: number;
    attemptsPerIp: number;
    signUpsPerIpPerHour: number;
  };
  readonly passwordHashing: { concurrency: number; queue: number };
  readonly participantPageRatePerMinute: number;
  /** Express's `trust proxy`: a hop count, a list of trusted proxies, or false. */
  readonly trustProxy: TrustProxy;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly mail: {
    smtpUrl: string | undefined;
    from: string;
    poolSize: number;
    ratePerSecond: number | undefined;
    retryBaseMs: number;
    retryAttempts: number;
    claimTimeoutMs: number;
    /** VERP envelope senders' domain (BOUNCE_DOMAIN); unset, the envelope sender is MAIL_FROM. */
    bounceDomain: string | undefined;
    /** Signs bounce references (`bounceKey`). */
    bounceKey: Buffer;
  };
  /** The inbound bounce endpoint's bearer token; unset, the endpoint is closed (404). */
  readonly inbound: { token: string | undefined };
  readonly cadence: { tickMs: number; requeueAfterMs: number };
  readonly queue: { backend: 'redis' | 'postgres' };
  readonly reports: {
    chromiumPath: string;
    pdf: {
      pages: number;
      queue: number;
      timeoutMs: number;
      sandbox: 'auto' | 'on' | 'off';
      ratePerMinute: number;
    };
  };
  /**
   * `defaultDaily`: a new workspace's daily send quota (participant mails a UTC day) until the operator
   * sets its own; `unconfirmedImportLimit`: participants a workspace with an unconfirmed sign-up address
   * may import, per import and in total.
   */
  readonly sendQuota: { defaultDaily: number; unconfirmedImportLimit: number };
  readonly metrics: { token: string | undefined };
  /** The operator's token: the only key to the queue board (shared by all workspaces); unset, it is closed. */
  readonly operator: { token: string | undefined };
  readonly webhooks: {
    timeoutMs: number;
    retryBaseMs: number;
    retryAttempts: number;
    /** Loopback and private targets allowed (tests, development); never in production. */
    allowPrivateTargets: boolean;
    /** The AES-256-GCM key that encrypts endpoint secrets at rest. */
    secretKey: Buffer;
  };

  /**
   * The development tools (`/dev/inbox`, `POST /dev/clock`, the shared clock) open only where NODE_ENV
   * says development or test outright: an installation that forgot NODE_ENV runs like production in this
   * one respect, so nobody outside can move its clock or read its captured mail.
   */
  readonly devTools: boolean;

  constructor(env: Env, nodeEnvSet = true) {
    this.devTools = nodeEnvSet && env.NODE_ENV !== 'production';
    this.env = env.NODE_ENV;
    this.http = { host: env.HOST, port: env.PORT, publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/$/, '') };
    this.database = { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE };
    this.redis = { url: env.REDIS_URL, queuePrefix: env.QUEUE_PREFIX };
    this.worker = {
      concurrency: env.WORKER_CONCURRENCY,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      heartbeatEveryMs: env.HEARTBEAT_EVERY_MS,
      lockMs: env.QUEUE_LOCK_MS,
    };
    this.auth = {
      accessTokenTtlHours: env.ACCESS_TOKEN_TTL_HOURS,
      invitationTtlHours: env.INVITATION_TTL_HOURS,
      secondFactorKey: secondFactorKey(webhookSecretKey(env.WEBHOOK_SECRET_KEY)),
    };
    this.signInLimits = {
      backoffBaseMs: env.SIGN_IN_BACKOFF_BASE_MS,
      backoffMaxMs: env.SIGN_IN_BACKOFF_MAX_MS,
      attemptsPerIp: env.SIGN_IN_ATTEMPTS_PER_IP,
      signUpsPerIpPerHour: env.SIGN_UP_PER_IP_PER_HOUR,
    };
    this.passwordHashing = {
      concurrency: env.PASSWORD_HASH_CONCURRENCY ?? Math.max(1, Math.min(4, availableParallelism() - 1)),
      queue: env.PASSWORD_HASH_QUEUE,
    };
    this.logLevel = env.LOG_LEVEL;
    this.participantPageRatePerMinute = env.PARTICIPANT_PAGE_RATE_PER_MINUTE;
    this.trustProxy = env.TRUST_PROXY;
    this.mail = {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      poolSize: env.MAIL_POOL_SIZE,
      ratePerSecond: env.MAIL_RATE_PER_SECOND,
      retryBaseMs: env.MAIL_RETRY_BASE_MS,
      retryAttempts: env.MAIL_RETRY_ATTEMPTS,
      claimTimeoutMs: env.MAIL_CLAIM_TIMEOUT_MS,
      bounceDomain: env.BOUNCE_DOMAIN?.toLowerCase(),
      bounceKey: bounceKey(webhookSecretKey(env.WEBHOOK_SECRET_KEY)),
    };
    this.inbound = { token: env.INBOUND_TOKEN };
    this.cadence = { tickMs: env.CADENCE_TICK_MS, requeueAfterMs: env.OUTBOX_REQUEUE_AFTER_MS };
    this.queue = { backend: env.QUEUE_BACKEND };
    this.reports = {
      chromiumPath: env.CHROMIUM_PATH,
      pdf: {
        pages: env.PDF_PAGES,
        queue: env.PDF_QUEUE,
        timeoutMs: env.PDF_TIMEOUT_MS,
        sandbox: env.PDF_SANDBOX,
        ratePerMinute: env.PDF_RATE_PER_MINUTE,
      },
    };
    this.sendQuota = {
      defaultDaily: env.DEFAULT_DAILY_SEND_QUOTA,
      unconfirmedImportLimit: env.UNCONFIRMED_IMPORT_LIMIT,
    };
    this.metrics = { token: env.METRICS_TOKEN };
    this.operator = { token: env.OPERATOR_TOKEN };
    this.webhooks = {
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      retryAttempts: env.WEBHOOK_RETRY_ATTEMPTS,
      allowPrivateTargets: env.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      secretKey: webhookSecretKey(env.WEBHOOK_SECRET_KEY),
    };
  }

  static fromEnvironment(source: NodeJS.ProcessEnv = process.env): AppConfig {
    return new AppConfig(parseEnv(source), Boolean(source.NODE_ENV));
  }

  get isProduction(): boolean {
    return this.env === 'production';
  }
}
