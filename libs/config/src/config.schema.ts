import { z } from 'zod';
import { parseTrustProxy } from './trust-proxy';

/**
 * The one description of Luotsi's environment. Both apps validate `process.env` against it at boot and
 * refuse to start, naming the variable, when a value is wrong. `.env.example` lists every variable here.
 */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: integer(1, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:3000'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/luotsi'),
  DATABASE_POOL_SIZE: integer(1, 100).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  /** `postgres` runs the queues on BullMQ's PostgreSQL backend in DATABASE_URL (the embedded demo). */
  QUEUE_BACKEND: z.enum(['redis', 'postgres']).default('redis'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _ only')
    .default('luotsi'),
  WORKER_CONCURRENCY: integer(1, 256).default(8),
  SHUTDOWN_TIMEOUT_MS: integer(1000, 600_000).default(30_000),
  ACCESS_TOKEN_TTL_HOURS: integer(1, 24 * 90).default(12),
  INVITATION_TTL_HOURS: integer(1, 24 * 30).default(72),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HEARTBEAT_EVERY_MS: integer(1000, 3_600_000).default(60_000),
  /** Requests a minute from one address to participant pages; generous, as a whole office may share one. */
  PARTICIPANT_PAGE_RATE_PER_MINUTE: integer(1, 100_000).default(600),
  /**
   * Which proxies in front of the API may tell the client's address (X-Forwarded-For): a hop count (`1`
   * = the one load balancer in front), or a comma-separated list of addresses, CIDR ranges and the names
   * `loopback`, `linklocal`, `uniquelocal`; `false` trusts none. Rate limits count per client address.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((value, context) => {
      const parsed = parseTrustProxy(value);
      if ('trust' in parsed) return parsed.trust;
      context.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }),
  /**
   * After 5 failed sign-ins to one account (from any address) it is refused for this long; each further
   * failure doubles the wait, up to SIGN_IN_BACKOFF_MAX_MS. A success clears the count.
   */
  SIGN_IN_BACKOFF_BASE_MS: integer(1000, 3_600_000).default(30_000),
  SIGN_IN_BACKOFF_MAX_MS: integer(1000, 86_400_000).default(900_000),
  /** Unsuccessful sign-ins from one address per 15 minutes; past it the address is refused for 15 minutes. */
  SIGN_IN_ATTEMPTS_PER_IP: integer(1, 100_000).default(50),
  /** Sign-ups and invitation acceptances from one address per hour. */
  SIGN_UP_PER_IP_PER_HOUR: integer(1, 100_000).default(30),
  /**
   * Password hashes computed at once per API process (argon2id takes 64 MiB, a core and a libuv thread
   * each). Unset: one less than the cores, at most 4, at least 1, so a core is left for everything else.
   */
  PASSWORD_HASH_CONCURRENCY: integer(1, 16).optional(),
  /** Password hashes that may wait for a turn; past it sign-in, sign-up and acceptance answer 429. */
  PASSWORD_HASH_QUEUE: integer(0, 1000).default(16),
  /** Unset: mail is captured in the database and shown at /dev/inbox (never in production). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Luotsi <luotsi@localhost>'),
  MAIL_POOL_SIZE: integer(1, 50).default(5),
  /**
   * The domain of bounce addresses: set, each mail's envelope sender is `bounces+{outbox id}-{tag}@BOUNCE_DOMAIN`
   * (VERP), so the bounce names its message; route that domain's mail to POST /api/v1/inbound/bounces.
   * Unset, the envelope sender is MAIL_FROM and bounces are matched by the returned X-Luotsi-Mail header.
   */
  BOUNCE_DOMAIN: z
    .string()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i,
      'a domain name, e.g. bounces.example.fi',
    )
    .optional(),
  /** Bearer token of the inbound bounce endpoint (an MTA pipe, a provider's webhook); unset, it is closed (404). */
  INBOUND_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** The provider's limit, for all workers together; unset, no limit is applied. */
  MAIL_RATE_PER_SECOND: integer(1, 10_000).optional(),
  /** First retry delay after a 4xx or a connection error; doubles each time, with jitter. */
  MAIL_RETRY_BASE_MS: integer(10, 3_600_000).default(30_000),
  /** With the defaults, 14 attempts span about 34 hours of retrying. */
  MAIL_RETRY_ATTEMPTS: integer(1, 50).default(14),
  /** A send claimed longer ago than this is taken to have died with its worker; must exceed the SMTP timeouts. */
  MAIL_CLAIM_TIMEOUT_MS: integer(1000, 3_600_000).default(120_000),
  /** How long a worker holds a job's lock; a crashed worker's jobs return to the queue after about this long. */
  QUEUE_LOCK_MS: integer(1000, 600_000).default(30_000),
  CADENCE_TICK_MS: integer(100, 3_600_000).default(30_000),
  /** A queued outbox row untouched this long is taken to have lost its job (Redis wiped) and queued again. */
  OUTBOX_REQUEUE_AFTER_MS: integer(100, 3_600_000).default(60_000),
  /** Chromium for PDF export of reports; where it is missing, PDF requests answer 501. */
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  /** PDFs printed at once per API process, in its separate renderer process (one Chromium page each). */
  PDF_PAGES: integer(1, 16).default(2),
  /** PDF requests that may wait for a page; past it a `.pdf` request answers 503 with Retry-After. */
  PDF_QUEUE: integer(0, 1000).default(4),
  /** A print taking longer than this is given up (503) and the renderer process started again. */
  PDF_TIMEOUT_MS: integer(1000, 600_000).default(30_000),
  /**
   * Chromium's own sandbox for the renderer: `auto` uses it where the machine allows (not as root, not in
   * a container without user namespaces) and says so in the log when it cannot; `on` refuses to print
   * without it; `off` never tries.
   */
  PDF_SANDBOX: z.enum(['auto', 'on', 'off']).default('auto'),
  /** `.pdf` requests a minute from one address (share links and the API alike); past it 429. */
  PDF_RATE_PER_MINUTE: integer(1, 100_000).default(20),
  /**
   * Participant mails a workspace may send a day (UTC) until the operator raises its own quota
   * (`scripts/send-quota.js`); mail over it waits, queued, for the next day.
   */
  DEFAULT_DAILY_SEND_QUOTA: integer(0, 10_000_000).default(500),
  /**
   * Participants a workspace whose sign-up address is not confirmed may import, per import and in total
   * (file imports and the JSON participant routes); past it the import is refused whole until the address
   * is confirmed.
   */
  UNCONFIRMED_IMPORT_LIMIT: integer(0, 10_000_000).default(50),
  /** Bearer token for /metrics; unset, /metrics is open outside production and refused in production. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /**
   * Bearer token of the operator, the one who runs the installation: it alone opens the queue board, which
   * shows every workspace's jobs. Unset, the board is closed (404).
   */
  OPERATOR_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** How long a webhook receiver may take to answer before the attempt counts as failed. */
  WEBHOOK_TIMEOUT_MS: integer(100, 60_000).default(10_000),
  /** First retry delay after a non-2xx answer or a timeout; doubles each time, with jitter. */
  WEBHOOK_RETRY_BASE_MS: integer(10, 3_600_000).default(30_000),
  /** With the defaults, 10 attempts span about 8.5 hours of retrying. */
  WEBHOOK_RETRY_ATTEMPTS: integer(1, 30).default(10),
  /**
   * Lets webhooks reach loopback and private addresses, for tests and local development only: without
   * it a target resolving to anything but a public address is refused. Refused at boot in production.
   */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false'], 'true or false')
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * Encrypts webhook secrets at rest (AES-256-GCM): 32 random bytes, base64 (`openssl rand -base64 32`).
   * Required in production; elsewhere a fixed development key is used.
   */
  WEBHOOK_SECRET_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, '32 bytes, base64-encoded')
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; reason: string }[]) {
    super('Invalid configuration: ' + problems.map((p) => `${p.variable}: ${p.reason}`).join('; '));
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, so `FOO=` in a .env file falls back to the default. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const input = Object.fromEntries(
    Object.keys(envSchema.shape)
      .map((key) => [key, source[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = envSchema
    .refine((env) => env.NODE_ENV !== 'production' || env.SMTP_URL, {
      path: ['SMTP_URL'],
      message: 'is required in production (without it mail is only captured for /dev/inbox)',
    })
    .refine((env) => env.NODE_ENV !== 'production' || !env.WEBHOOK_ALLOW_PRIVATE_TARGETS, {
      path: ['WEBHOOK_ALLOW_PRIVATE_TARGETS'],
      message: 'must not be true in production (webhooks could reach internal hosts)',
    })
    .refine((env) => env.NODE_ENV !== 'production' || env.WEBHOOK_SECRET_KEY, {
      path: ['WEBHOOK_SECRET_KEY'],
      message: 'is required in production (it encrypts webhook secrets at rest)',
    })
    .safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(unknown)'),
        reason: issue.message,
      })),
    );
  }
  return result.data;
}
