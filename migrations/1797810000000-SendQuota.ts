import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox tally's functions as 1797650000000-LighterTallies left them, with or without the count of
 * mail held for a send quota (`metric = 'held'`: +1 as a row becomes held, -1 as it stops being held).
 */
function tallyFunctions(withHeld: boolean): string[] {
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
  const held = `status = 'deferred' AND deferred_reason = 'send quota'`;
  const heldOf = (changes: string) =>
    withHeld ? `UNION ALL SELECT 'held', 'send quota', h.delta FROM (${changes}) h` : '';
  return [
    `CREATE OR REPLACE FUNCTION outbox_tally_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addToTally(`
          SELECT 'rows' AS metric, status AS label, 1::float8 AS value FROM new_rows
          ${latencyOf(`(SELECT ${sentSeconds} FROM new_rows n WHERE n.status = 'sent' AND n.sent_at IS NOT NULL) s`)}
          ${heldOf(`SELECT 1::float8 AS delta FROM new_rows WHERE ${held}`)}`)};
        RETURN NULL;
      END $$`,
    `CREATE OR REPLACE FUNCTION outbox_tally_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A claim or a retry's note changes no status: nothing to count.
        IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
                       WHERE n.status IS DISTINCT FROM o.status
                          OR n.deferred_reason IS DISTINCT FROM o.deferred_reason) THEN
          RETURN NULL;
        END IF;
        ${addToTally(`
          SELECT 'rows' AS metric, d.status AS label, d.delta AS value
          FROM (SELECT status, 1::float8 AS delta FROM new_rows UNION ALL SELECT status, -1 FROM old_rows) d
          ${latencyOf(`(SELECT ${sentSeconds} FROM new_rows n JOIN old_rows o ON o.id = n.id
                        WHERE n.status = 'sent' AND n.sent_at IS NOT NULL
                          AND o.status IS DISTINCT FROM 'sent') s`)}
          ${heldOf(`SELECT 1::float8 AS delta FROM new_rows WHERE ${held} UNION ALL SELECT -1 FROM old_rows WHERE ${held}`)}`)};
        RETURN NULL;
      END $$`,
    `CREATE OR REPLACE FUNCTION outbox_tally_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addToTally(`
          SELECT 'rows' AS metric, status AS label, -1::float8 AS value FROM old_rows
          ${heldOf(`SELECT -1::float8 AS delta FROM old_rows WHERE ${held}`)}`)};
        RETURN NULL;
      END $$`,
    `CREATE OR REPLACE FUNCTION outbox_tally_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM outbox_tally WHERE metric IN (${withHeld ? `'rows', 'held'` : `'rows'`});
        RETURN NULL;
      END $$`,
  ];
}

/**
 * Each workspace's daily send quota (null: the installation's default) and today's count against it;
 * and the outbox tally counts the mail held for a quota (`metric = 'held'`), so /metrics reads it
 * without reading the outbox.
 */
export class SendQuota1797810000000 implements MigrationInterface {
  name = 'SendQuota1797810000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "send_quota" ("workspace_id" uuid NOT NULL, "daily_limit" integer, "day" date, "claimed" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bd342d0c4258b8b6086172c21eb" PRIMARY KEY ("workspace_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "send_quota" ADD CONSTRAINT "FK_bd342d0c4258b8b6086172c21eb" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Workspaces that existed before quotas keep sending as they did: the largest quota the operator can
    // set (10,000,000 a day). Only workspaces made from now on start at DEFAULT_DAILY_SEND_QUOTA.
    await queryRunner.query(
      `INSERT INTO "send_quota" ("workspace_id", "daily_limit") SELECT "id", 10000000 FROM "workspace"`,
    );
    // No mail is held for a quota yet, so the count starts at nothing.
    for (const statement of tallyFunctions(true)) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of tallyFunctions(false)) await queryRunner.query(statement);
    await queryRunner.query(`DELETE FROM outbox_tally WHERE metric = 'held'`);
    await queryRunner.query(`ALTER TABLE "send_quota" DROP CONSTRAINT "FK_bd342d0c4258b8b6086172c21eb"`);
    await queryRunner.query(`DROP TABLE "send_quota"`);
  }
}
