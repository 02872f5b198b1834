import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Tests reach the real PostgreSQL; TEST_DATABASE_URL may point elsewhere (any database on the server). */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/**
 * Test databases are named `luotsi_t_<epoch seconds>_…`, so a run can sweep what crashed runs left
 * behind (older than a few hours) without touching a run going on beside it.
 */
export const TEST_DATABASE_PREFIX = 'luotsi_t_';
export const templateDatabase = (): string => {
  const name = process.env.LUOTSI_TEST_TEMPLATE;
  if (!name)
    throw new Error(
      'LUOTSI_TEST_TEMPLATE is not set: run the tests through Jest (its global setup makes the template)',
    );
  return name;
};
const epoch = () => Math.floor(Date.now() / 1000);

export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template: milliseconds, and isolated per test file. */
export const newTemplateName = () =>
  `${TEST_DATABASE_PREFIX}${epoch()}_template_${randomBytes(3).toString('hex')}`;

/** Seconds since the epoch at which a test database was made, read off its name. */
export const createdAt = (name: string): number =>
  Number(name.slice(TEST_DATABASE_PREFIX.length).split('_')[0]);

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${TEST_DATABASE_PREFIX}${epoch()}_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`));
  return {
    name,
    url: databaseUrl(name),
    drop: () =>
      withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
