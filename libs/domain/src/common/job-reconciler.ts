import type { DataSource } from 'typeorm';
import { JobName, JobPayloads, JobProducer } from '@luotsi/queue';
import { returned } from './sql';

/** A row that waits on a job: its id, and the generation that names its current job. */
export interface WaitingRow {
  id: string;
  generation: number;
}

/**
 * One kind of row with a generation, waiting on a job, as its owner describes it: which rows wait (a
 * condition on its table, alias `t`), what a new generation also resets, and the job each row should
 * have. The job's id is derived from the payload, generation included.
 */
export interface WaitingRows<N extends JobName, R extends WaitingRow> {
  table: string;
  waiting: string;
  /** Columns besides `id` and `generation` that the payload needs. */
  columns?: (keyof R & string)[];
  /** What else a new generation sets, e.g. `status = 'queued'`. */
  reset?: string;
  job: N;
  payload(row: R): JobPayloads[N];
}

const PAGE = 1000;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Rows are the truth and Redis the engine: every row waiting untouched for `olderThanMs` (real time) is
 * asked about, a page at a time. Where BullMQ still holds its job to run (waiting, delayed, active), the
 * row is marked as looked at, so it is asked about again only after another `olderThanMs`. Where the job
 * is gone, finished or failed without settling the row, the row gets a new generation, and so a job
 * under a new id (BullMQ ignores an add under an id it still holds, even half-deleted), provided nothing
 * touched it since it was read; an old job that ever runs again sees the generation moved on and skips.
 * Returns how many rows were queued anew.
 */
export async function reconcileWaiting<N extends JobName, R extends WaitingRow>(
  db: DataSource,
  producer: JobProducer,
  rows: WaitingRows<N, R>,
  olderThanMs: number,
): Promise<number> {
  const { table, waiting } = rows;
  const columns = ['id', 'generation', ...(rows.columns ?? [])].map((c) => `t.${c}`).join(', ');
  // Only a row still as it was read: the same generation, still waiting.
  const unchanged = `FROM unnest($1::uuid[], $2::int[]) AS seen(id, generation)
    WHERE t.id = seen.id AND t.generation = seen.generation AND ${waiting}`;
  const keys = (page: R[]) => [page.map((row) => row.id), page.map((row) => row.generation)];
  let total = 0;
  let after = FIRST_ID;
  for (;;) {
    const page: R[] = await db.query(
      `SELECT ${columns} FROM ${table} t
       WHERE ${waiting} AND t.updated_at < now() - make_interval(secs => $1::float / 1000) AND t.id > $2
       ORDER BY t.id LIMIT ${PAGE}`,
      [olderThanMs, after],
    );
    const held = await producer.pending(rows.job, page.map(rows.payload));
    const alive = page.filter((_, i) => held[i]);
    const lost = page.filter((_, i) => !held[i]);
    if (alive.length) await db.query(`UPDATE ${table} t SET updated_at = now() ${unchanged}`, keys(alive));
    if (lost.length) {
      const renewed = returned<R>(
        await db.query(
          `UPDATE ${table} t SET generation = t.generation + 1, ${rows.reset ? `${rows.reset}, ` : ''}updated_at = now()
           ${unchanged} RETURNING ${columns}`,
          keys(lost),
        ),
      );
      await producer.enqueueMany(rows.job, renewed.map(rows.payload));
      total += renewed.length;
    }
    if (page.length < PAGE) return total;
    after = page[page.length - 1].id;
  }
}
