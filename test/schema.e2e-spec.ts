import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@luotsi/database';
import { createTestDatabase, TestDatabase } from './support/database';

/**
 * The entities and the migrations describe the same schema: on a database the migrations built,
 * TypeORM finds nothing to change. A changed entity without its migration fails here, not in production.
 */
describe('schema', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('has every migration applied and no difference between entities and migrations', async () => {
    expect(await db.showMigrations()).toBe(false);
    const pending = await db.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });
});
