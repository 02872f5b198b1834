import { MigrationInterface, QueryRunner } from 'typeorm';

/** The send-latency histogram's bounds in seconds, as 1797600000000-RetentionAndTallies set them. */
const LATENCY_BOUNDS = [1, 5, 15, 60, 300, 900, 3600, 14400, 43200, 86400, 172800];

/**
 * The outbox tally's triggers did a dozen upserts for every sent mail (one per cumulative histogram
 * bound) and planned their work for every update, a claim included, in whatever order the rows came:
 * twice the database's time per mail, and two senders could deadlock on a shard's rows after the mail
 * had gone. Now a mail adds to one bucket (`latency_bucket`, the smallest bound it is within; the
 * reader accumulates), an update that changes no status adds nothing, and rows are written in key order.
 */
export class LighterTallies1797650000000 implements MigrationInterface {
  name = 'LighterTallies1797650000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION outbox_latency_bucket(seconds float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce((SELECT min(b)::text FROM unnest('{${LATENCY_BOUNDS.join(',')}}'::float8[]) b
                         WHERE seconds <= b), '+Inf')
      $$`);
    const addToTally = (changes: string) => `
        INSERT INTO outbox_tally (metric, label, shard, value)
        SELECT c.metric, c.label, pg_backend_pid() % 8, sum(c.value) FROM (${changes}) c
        GROUP BY c.metric, c.label HAVING sum(c.value) <> 0 OR c.metric = 'latency_sum'
        ORDER BY c.metric, c.label
        ON CONFLICT (metric, label, shard) DO UPDATE SET value = outbox_tally.value + EXCLUDED.value`;
    const latencyOf = (rows: string) => `
          UNION ALL SELECT 'latency_bucket', outbox_latency_bucket(s.seconds), 1::float8 FROM ${rows}
          UNION ALL SELECT 'latency_sum', '', s.seconds FROM ${rows}`;
    const sentSeconds = `greatest(extract(epoch FROM n.sent_at - n.due_at), 0)::float8 AS seconds`;
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION outbox_tally_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addToTally(`
          SELECT 'rows' AS metric, status AS label, 1::float8 AS value FROM new_rows
          ${latencyOf(`(SELECT ${sentSeconds} FROM new_rows n WHERE n.status = 'sent' AND n.sent_at IS NOT NULL) s`)}`)};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION outbox_tally_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A claim or a retry's note changes no status: nothing to count.
        IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
                       WHERE n.status IS DISTINCT FROM o.status) THEN
          RETURN NULL;
        END IF;
        ${addToTally(`
          SELECT 'rows' AS metric, d.status AS label, d.delta AS value
          FROM (SELECT status, 1::float8 AS delta FROM new_rows UNION ALL SELECT status, -1 FROM old_rows) d
          ${latencyOf(`(SELECT ${sentSeconds} FROM new_rows n JOIN old_rows o ON o.id = n.id
                        WHERE n.status = 'sent' AND n.sent_at IS NOT NULL
                          AND o.status IS DISTINCT FROM 'sent') s`)}`)};
        RETURN NULL;
      END $$`);
    // Each shard's cumulative counts become its counts per bucket.
    await queryRunner.query(`
      INSERT INTO outbox_tally (metric, label, shard, value)
      SELECT 'latency_bucket', label, shard,
             value - coalesce(lag(value) OVER (PARTITION BY shard ORDER BY CASE WHEN label = '+Inf'
                                                 THEN 'Infinity'::float8 ELSE label::float8 END), 0)
      FROM outbox_tally WHERE metric = 'latency_le'`);
    await queryRunner.query(`DELETE FROM outbox_tally WHERE metric = 'latency_le'`);
    await queryRunner.query(`DROP FUNCTION outbox_latency_changes(float8[])`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION outbox_latency_changes(seconds float8[])
      RETURNS TABLE (metric text, label text, value float8) LANGUAGE sql IMMUTABLE AS $$
        SELECT 'latency_le', CASE WHEN b.le = 'Infinity' THEN '+Inf' ELSE b.le::text END,
               count(*) FILTER (WHERE x.s <= b.le)::float8
        FROM unnest(seconds) AS x(s)
        CROSS JOIN unnest('{${LATENCY_BOUNDS.join(',')},Infinity}'::float8[]) AS b(le)
        GROUP BY b.le
        UNION ALL
        SELECT 'latency_sum', '', sum(x.s) FROM unnest(seconds) AS x(s) HAVING count(*) > 0
      $$`);
    const addToTally = (changes: string) => `
        INSERT INTO outbox_tally (metric, label, shard, value)
        SELECT c.metric, c.label, pg_backend_pid() % 8, c.value FROM (${changes}) c
        ON CONFLICT (metric, label, shard) DO UPDATE SET value = outbox_tally.value + EXCLUDED.value`;
    const latencyOf = (rows: string, where: string) =>
      `outbox_latency_changes(ARRAY(SELECT greatest(extract(epoch FROM n.sent_at - n.due_at), 0)::float8
                                    FROM ${rows} WHERE n.status = 'sent' AND n.sent_at IS NOT NULL ${where}))`;
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION outbox_tally_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addToTally(`
          SELECT 'rows' AS metric, status AS label, count(*)::float8 AS value FROM new_rows GROUP BY status
          UNION ALL SELECT * FROM ${latencyOf('new_rows n', '')}`)};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION outbox_tally_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addToTally(`
          SELECT 'rows' AS metric, d.status AS label, sum(d.delta)::float8 AS value
          FROM (SELECT status, 1 AS delta FROM new_rows UNION ALL SELECT status, -1 FROM old_rows) d
          GROUP BY d.status HAVING sum(d.delta) <> 0
          UNION ALL SELECT * FROM ${latencyOf(
            'new_rows n JOIN old_rows o ON o.id = n.id',
            `AND o.status IS DISTINCT FROM 'sent'`,
          )}`)};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      INSERT INTO outbox_tally (metric, label, shard, value)
      SELECT 'latency_le', label, shard,
             sum(value) OVER (PARTITION BY shard ORDER BY CASE WHEN label = '+Inf'
                                THEN 'Infinity'::float8 ELSE label::float8 END)
      FROM outbox_tally WHERE metric = 'latency_bucket'`);
    await queryRunner.query(`DELETE FROM outbox_tally WHERE metric = 'latency_bucket'`);
    await queryRunner.query(`DROP FUNCTION outbox_latency_bucket(float8)`);
  }
}
