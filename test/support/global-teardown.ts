import { withAdmin } from './database';

/** Drops this run's template; each file dropped its own clone. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env.LUOTSI_TEST_TEMPLATE;
  if (template) await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`));
}
