import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A cadence per pilot: steps of a pilot's own plan (`cadence_step.pilot_id`), a step's audience level,
 * its own texts per language and the retrospective it opens; template overrides per organization or
 * rollout beside the workspace's.
 */
export class PilotCadence1797000000000 implements MigrationInterface {
  name = 'PilotCadence1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_edea0ef042d0bc7baa4fb8ea07"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_289537326c00a43f266174f6b1"`);
    await queryRunner.query(`ALTER TABLE "cadence_step" ADD "pilot_id" uuid`);
    await queryRunner.query(`ALTER TABLE "cadence_step" ADD "audience_level" text`);
    await queryRunner.query(`ALTER TABLE "cadence_step" ADD "texts" jsonb`);
    await queryRunner.query(`ALTER TABLE "cadence_step" ADD "question_set_ref" text`);
    await queryRunner.query(`ALTER TABLE "cadence_step" ADD "anonymity" text`);
    await queryRunner.query(`ALTER TABLE "cadence_step" ADD "min_group_size" integer`);
    await queryRunner.query(`ALTER TABLE "message_template" ADD "organization_id" uuid`);
    await queryRunner.query(`ALTER TABLE "message_template" ADD "rollout_id" uuid`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_efbbb54b7e3f19f19bd2f0a499" ON "cadence_step"  ("pilot_id", "key") WHERE "pilot_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_6580b7dbdf6ce85aa1822608f5" ON "cadence_step"  ("rollout_id", "key") WHERE "pilot_id" IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ac619df3d70a3525bff7c7a56c" ON "message_template"  ("rollout_id", "name", "locale") WHERE "rollout_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_134854527343093461a814c27f" ON "message_template"  ("organization_id", "name", "locale") WHERE "organization_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_89a806e6a60b48e77cb7f02931" ON "message_template"  ("workspace_id", "name", "locale") WHERE "organization_id" IS NULL AND "rollout_id" IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "cadence_step" ADD CONSTRAINT "FK_15db81a02ed2dfe00c2b41ff1dd" FOREIGN KEY ("pilot_id") REFERENCES "pilot"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_template" ADD CONSTRAINT "FK_b6dec49a6de32bb92b7d1bdc761" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_template" ADD CONSTRAINT "FK_8c9f57698b49106032def067298" FOREIGN KEY ("rollout_id") REFERENCES "rollout"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "message_template" DROP CONSTRAINT "FK_8c9f57698b49106032def067298"`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_template" DROP CONSTRAINT "FK_b6dec49a6de32bb92b7d1bdc761"`,
    );
    await queryRunner.query(`ALTER TABLE "cadence_step" DROP CONSTRAINT "FK_15db81a02ed2dfe00c2b41ff1dd"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_89a806e6a60b48e77cb7f02931"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_134854527343093461a814c27f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ac619df3d70a3525bff7c7a56c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6580b7dbdf6ce85aa1822608f5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_efbbb54b7e3f19f19bd2f0a499"`);
    // Scoped overrides and pilots' own plans have no place in the older schema.
    await queryRunner.query(
      `DELETE FROM "message_template" WHERE "organization_id" IS NOT NULL OR "rollout_id" IS NOT NULL`,
    );
    await queryRunner.query(`DELETE FROM "cadence_step" WHERE "pilot_id" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "message_template" DROP COLUMN "rollout_id"`);
    await queryRunner.query(`ALTER TABLE "message_template" DROP COLUMN "organization_id"`);
    await queryRunner.query(`ALTER TABLE "cadence_step" DROP COLUMN "min_group_size"`);
    await queryRunner.query(`ALTER TABLE "cadence_step" DROP COLUMN "anonymity"`);
    await queryRunner.query(`ALTER TABLE "cadence_step" DROP COLUMN "question_set_ref"`);
    await queryRunner.query(`ALTER TABLE "cadence_step" DROP COLUMN "texts"`);
    await queryRunner.query(`ALTER TABLE "cadence_step" DROP COLUMN "audience_level"`);
    await queryRunner.query(`ALTER TABLE "cadence_step" DROP COLUMN "pilot_id"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_289537326c00a43f266174f6b1" ON "message_template" ("workspace_id", "name", "locale")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_edea0ef042d0bc7baa4fb8ea07" ON "cadence_step" ("rollout_id", "key")`,
    );
  }
}
