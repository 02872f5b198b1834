import { DataSource } from 'typeorm';
// Global setup runs outside Jest's module mapper: import by path.
import { dataSourceOptions } from '../../libs/database/src/data-source-options';
import { createdAt, databaseUrl, newTemplateName, TEST_DATABASE_PREFIX, withAdmin } from './database';

const STALE_SECONDS = 3 * 3600;

/**
 * Migrates a template database for this run (each test file clones it), and sweeps test databases
 * that runs older than a few hours left behind. A run going on at the same time is left alone.
 */
export default async function globalSetup(): Promise<void> {
  const template = newTemplateName();
  await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
      [TEST_DATABASE_PREFIX],
    );
    const now = Date.now() / 1000;
    for (const { datname } of rows) {
      if (!(now - createdAt(datname) < STALE_SECONDS))
        await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE "${template}"`);
  });
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(template), 1));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
  process.env.LUOTSI_TEST_TEMPLATE = template;
}
