import { DataSource } from 'typeorm';
// Global setup runs outside Jest's module mapper: import by path.
import { dataSourceOptions } from '../../libs/database/src/data-source-options';
import { databaseUrl, TEMPLATE_DATABASE, withAdmin } from './database';

/** Migrates a template database once per run; each test file clones it. Old clones are swept. */
export default async function globalSetup(): Promise<void> {
  await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'luotsi\\_test\\_%'`,
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  });
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(TEMPLATE_DATABASE), 1));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
