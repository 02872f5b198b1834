import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { Clock } from '@luotsi/domain';
import { createApiApp } from '../../apps/api/src/api.app';
import { createTestDatabase, TestDatabase } from './database';

export interface TestEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  QUEUE_PREFIX: string;
  LOG_LEVEL: string;
  NODE_ENV: string;
  WEBHOOK_ALLOW_PRIVATE_TARGETS?: string;
  WEBHOOK_SECRET_KEY: string;
  DEFAULT_DAILY_SEND_QUOTA: string;
}

export interface TestApi {
  app: NestExpressApplication;
  http: TestAgent;
  db: DataSource;
  database: TestDatabase;
  env: TestEnv & Record<string, string>;
  close(): Promise<void>;
}

/** The environment of one test file: its own database and its own queue prefix in the real Redis. */
export async function testEnvironment(): Promise<{ env: TestEnv; database: TestDatabase }> {
  const database = await createTestDatabase();
  return {
    database,
    env: {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `luotsi-test-${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      NODE_ENV: 'test',
      // Test receivers listen on 127.0.0.1; test/webhook-egress.e2e-spec.ts turns this off.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
      // Tests send thousands of mails from one new workspace; test/send-quota.e2e-spec.ts sets its own.
      DEFAULT_DAILY_SEND_QUOTA: '10000000',
    },
  };
}

/** The in-process app behind each test's HTTP client, for fixtures that need a domain service. */
const appsByClient = new WeakMap<object, NestExpressApplication>();

/** Registers `http` as a client of `app` (startApi does; a spec with its own client may too). */
export function registerClient(http: object, app: NestExpressApplication): void {
  appsByClient.set(http, app);
}

/** The in-process API app `http` talks to, or undefined for a client of another process. */
export function appOf(http: object): NestExpressApplication | undefined {
  return appsByClient.get(http);
}

/** Boots the real API app (real Postgres, real Redis) in the test process. */
export async function startApi(
  options: { clock?: Clock; env?: Partial<TestEnv> & Record<string, string> } = {},
): Promise<TestApi> {
  const { env: base, database } = await testEnvironment();
  const env: TestEnv & Record<string, string> = { ...base, ...options.env };
  // Production refuses private webhook targets at boot: a production test gets the default (off).
  if (env.NODE_ENV === 'production' && !options.env?.WEBHOOK_ALLOW_PRIVATE_TARGETS)
    delete env.WEBHOOK_ALLOW_PRIVATE_TARGETS;
  const app = await createApiApp({ config: AppConfig.fromEnvironment({ ...env }), clock: options.clock });
  await app.init();
  const http = request(app.getHttpServer());
  registerClient(http, app);
  return {
    app,
    http,
    db: app.get(DataSource),
    database,
    env,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
