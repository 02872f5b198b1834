import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each workspace's daily send quota (null: the installation's default) and today's count against it. */
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
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "send_quota" DROP CONSTRAINT "FK_bd342d0c4258b8b6086172c21eb"`);
    await queryRunner.query(`DROP TABLE "send_quota"`);
  }
}
