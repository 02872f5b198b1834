import type { EntityManager } from 'typeorm';

/**
 * TypeORM's `query()` answers an UPDATE or DELETE with `[rows, rowCount]` and anything else with the
 * rows; this returns the rows either way, so `... RETURNING` reads the same for every statement.
 */
export function returned<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

interface StatementClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const connectionIds = new WeakMap<StatementClient, string>();
let connections = 0;

/**
 * Runs a named prepared statement on the transaction's own connection: Postgres parses and plans it
 * once per connection rather than at every call, which counts for a statement run once per mail.
 * Names are made per connection: where one session serves many connections (the demo's embedded
 * PGlite), a connection opened later must not prepare a name that an earlier one left there.
 */
export async function prepared<T>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  if (!manager.queryRunner) throw new Error(`prepared statement ${name} needs a transaction's manager`);
  const client = (await manager.queryRunner.connect()) as StatementClient;
  let id = connectionIds.get(client);
  if (!id) connectionIds.set(client, (id = `${process.pid}.${++connections}`));
  return (await client.query({ name: `${name}.${id}`, text, values })).rows as T[];
}
