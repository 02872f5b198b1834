import type { DataSource, EntityManager } from 'typeorm';

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

/** How many rows an UPDATE or DELETE without RETURNING touched, from TypeORM's `[rows, rowCount]`. */
export function affected(result: unknown): number {
  return Array.isArray(result) && result.length === 2 && typeof result[1] === 'number' ? result[1] : 0;
}

interface StatementClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const connectionIds = new WeakMap<StatementClient, string>();
let connections = 0;

/** A statement name unique to the connection that prepares it. */
function statementName(client: StatementClient, name: string): string {
  let id = connectionIds.get(client);
  if (!id) connectionIds.set(client, (id = `${process.pid}.${++connections}`));
  return `${name}.${id}`;
}

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
  return (await client.query({ name: statementName(client, name), text, values })).rows as T[];
}

interface StatementPool {
  connect(): Promise<StatementClient & { release(error?: Error): void }>;
}

/**
 * The same outside a transaction, on any pooled connection, for a statement that runs on its own
 * (autocommit) once per request, such as a participant's answer.
 */
export async function preparedStatement<T>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const client = await (dataSource.driver as unknown as { master: StatementPool }).master.connect();
  try {
    const result = await client.query({ name: statementName(client, name), text, values });
    client.release();
    return result.rows as T[];
  } catch (error) {
    // Postgres's own errors (they carry a severity) leave the connection sound; any other failure
    // drops it rather than handing it to the next request.
    client.release((error as { severity?: string }).severity ? undefined : (error as Error));
    throw error;
  }
}

/**
 * Rows of a feature's table that another feature's set-based SQL may read: a constant sub-select in the
 * owner's `relations.ts`, whose columns are what the owner promises. The reader joins it as it would the
 * table (`JOIN ${QUARTER_ROWS} q ON q.id = …`); Postgres inlines the sub-select, so the plan is the
 * table's. Reads only: a change to another feature's rows goes through that feature's service.
 */
export type Relation<Columns extends string> = string & { readonly __columns?: Columns };

type Trimmed<S extends string> = S extends ` ${infer R}` | `\n${infer R}`
  ? Trimmed<R>
  : S extends `${infer R} ` | `${infer R}\n`
    ? Trimmed<R>
    : S;
type Listed<S extends string> = S extends `${infer Head},${infer Rest}`
  ? Trimmed<Head> | Listed<Rest>
  : Trimmed<S>;
/** The column names of `(SELECT a, b FROM t)`, read off the text by the type checker. */
export type ColumnsOf<Select extends string> = Select extends `(SELECT ${infer Columns} FROM ${string})`
  ? Listed<Columns>
  : never;

/** Declares a relation: `select` is `(SELECT column, … FROM table)`, its columns become the type's. */
export const relation = <Select extends string>(select: Select): Relation<ColumnsOf<Select>> =>
  select as Relation<ColumnsOf<Select>>;
