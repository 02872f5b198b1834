import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seconds from a mail's due time to its sending, the bounds of the send-latency histogram: quiet hours
 * and the weekly cap make hours normal. The one definition: /metrics reads the bounds from the tally.
 */
const LATENCY_BOUNDS = [1, 5, 15, 60, 300, 900, 3600, 14400, 43200, 86400, 172800];

/**
 * Tallies for /metrics, kept by statement-level triggers (one upsert per statement, into the writer's own
 * shard), so a scrape reads a few rows instead of every outbox row ever sent; and the day the retention
 * rules last ran. Existing rows are counted once here.
 */
export class RetentionAndTallies1797600000000 implements MigrationInterface {
  name = 'RetentionAndTallies1797600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "outbox_tally" ("metric" text NOT NULL, "label" text NOT NULL, "shard" smallint NOT NULL, "value" double precision NOT NULL DEFAULT '0', CONSTRAINT "PK_cf81518a08f96182374c9f4420a" PRIMARY KEY ("metric", "label", "shard"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_delivery_tally" ("status" text NOT NULL, "shard" smallint NOT NULL, "value" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_0e98cad630494b5d93320d4afde" PRIMARY KEY ("status", "shard"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "retention_run" ("name" text NOT NULL, "ran_on" date NOT NULL, "deleted" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_58e9cc4c5a59cc96e3176bc2063" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a4b8fec8d61386d92877778b01" ON "check_in_token" ("expires_at")`,
    );

    // The histogram's share of newly sent mails' latencies: a cumulative count per bound, and the sum.
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
      CREATE FUNCTION outbox_tally_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addToTally(`
          SELECT 'rows' AS metric, status AS label, count(*)::float8 AS value FROM new_rows GROUP BY status
          UNION ALL SELECT * FROM ${latencyOf('new_rows n', '')}`)};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION outbox_tally_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
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
    // Deleted rows leave the counts by status; the latency histogram only grows, as Prometheus expects.
    await queryRunner.query(`
      CREATE FUNCTION outbox_tally_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addToTally(
          `SELECT 'rows' AS metric, status AS label, -count(*)::float8 AS value FROM old_rows GROUP BY status`,
        )};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION outbox_tally_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM outbox_tally WHERE metric = 'rows';
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER outbox_tally_insert AFTER INSERT ON outbox_message
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_tally_on_insert()`);
    await queryRunner.query(`
      CREATE TRIGGER outbox_tally_update AFTER UPDATE ON outbox_message
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION outbox_tally_on_update()`);
    await queryRunner.query(`
      CREATE TRIGGER outbox_tally_delete AFTER DELETE ON outbox_message
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outbox_tally_on_delete()`);
    await queryRunner.query(`
      CREATE TRIGGER outbox_tally_truncate AFTER TRUNCATE ON outbox_message
        FOR EACH STATEMENT EXECUTE FUNCTION outbox_tally_on_truncate()`);

    const addToWebhookTally = (changes: string) => `
        INSERT INTO webhook_delivery_tally (status, shard, value)
        SELECT c.status, pg_backend_pid() % 8, c.value FROM (${changes}) c
        ON CONFLICT (status, shard) DO UPDATE SET value = webhook_delivery_tally.value + EXCLUDED.value`;
    await queryRunner.query(`
      CREATE FUNCTION webhook_delivery_tally_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addToWebhookTally(`SELECT status, count(*) AS value FROM new_rows GROUP BY status`)};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION webhook_delivery_tally_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addToWebhookTally(`
          SELECT d.status, sum(d.delta) AS value
          FROM (SELECT status, 1 AS delta FROM new_rows UNION ALL SELECT status, -1 FROM old_rows) d
          GROUP BY d.status HAVING sum(d.delta) <> 0`)};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION webhook_delivery_tally_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addToWebhookTally(`SELECT status, -count(*) AS value FROM old_rows GROUP BY status`)};
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION webhook_delivery_tally_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM webhook_delivery_tally;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER webhook_delivery_tally_insert AFTER INSERT ON webhook_delivery
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_delivery_tally_on_insert()`);
    await queryRunner.query(`
      CREATE TRIGGER webhook_delivery_tally_update AFTER UPDATE ON webhook_delivery
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION webhook_delivery_tally_on_update()`);
    await queryRunner.query(`
      CREATE TRIGGER webhook_delivery_tally_delete AFTER DELETE ON webhook_delivery
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION webhook_delivery_tally_on_delete()`);
    await queryRunner.query(`
      CREATE TRIGGER webhook_delivery_tally_truncate AFTER TRUNCATE ON webhook_delivery
        FOR EACH STATEMENT EXECUTE FUNCTION webhook_delivery_tally_on_truncate()`);

    // What is there already, counted once; every bound present, so /metrics shows them from the start.
    await queryRunner.query(`
      INSERT INTO outbox_tally (metric, label, shard, value)
      SELECT 'rows', status, 0, count(*) FROM outbox_message GROUP BY status
      UNION ALL
      SELECT b.metric, b.label, 0, coalesce(l.value, 0)
      FROM outbox_latency_changes('{0}'::float8[]) b
      LEFT JOIN outbox_latency_changes(ARRAY(
        SELECT greatest(extract(epoch FROM sent_at - due_at), 0)::float8 FROM outbox_message
        WHERE status = 'sent' AND sent_at IS NOT NULL)) l ON l.metric = b.metric AND l.label = b.label`);
    await queryRunner.query(`
      INSERT INTO webhook_delivery_tally (status, shard, value)
      SELECT status, 0, count(*) FROM webhook_delivery GROUP BY status`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['outbox_message', 'webhook_delivery']) {
      const tally = table === 'outbox_message' ? 'outbox_tally' : 'webhook_delivery_tally';
      for (const event of ['insert', 'update', 'delete', 'truncate']) {
        await queryRunner.query(`DROP TRIGGER "${tally}_${event}" ON "${table}"`);
        await queryRunner.query(`DROP FUNCTION "${tally}_on_${event}"()`);
      }
    }
    await queryRunner.query(`DROP FUNCTION outbox_latency_changes(float8[])`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a4b8fec8d61386d92877778b01"`);
    await queryRunner.query(`DROP TABLE "retention_run"`);
    await queryRunner.query(`DROP TABLE "webhook_delivery_tally"`);
    await queryRunner.query(`DROP TABLE "outbox_tally"`);
  }
}
