import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reports1795619663368 implements MigrationInterface {
  name = 'Reports1795619663368';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "learning_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "pilot_id" uuid NOT NULL, "quarter_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'queued', "generation" integer NOT NULL DEFAULT '1', "progress" integer NOT NULL DEFAULT '0', "stage" text, "content" jsonb, "last_error" text, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "built_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b8843315b318aca4cdbc450641b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9dd4038b06279b98cab21fa621" ON "learning_report"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9a26ed8a3809a0b4650de8cc44" ON "learning_report"  ("organization_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6fa23fbd34129c635cf0ac3cc9" ON "learning_report"  ("pilot_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_6a1829eb35b806dc22201ec905" ON "learning_report"  ("quarter_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "learning_note" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "pilot_id" uuid NOT NULL, "quarter_id" uuid NOT NULL, "author_id" uuid, "body" text NOT NULL, CONSTRAINT "PK_8e4a8483bb310f78683125bc879" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b97fa61bc30149b7be99904729" ON "learning_note"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9a38c975d46d6bb4f3afafd1b4" ON "learning_note"  ("organization_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_d6e90a5cceb48c277ef62f536a" ON "learning_note"  ("pilot_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f9868ee64fddb44436ed47c4ae" ON "learning_note"  ("quarter_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "readiness_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "rollout_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'queued', "progress" integer NOT NULL DEFAULT '0', "verdict" text, "content" jsonb, "last_error" text, "built_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a97e2408631e1610b67101c63a9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0441a4f8306928c4b3a15c472e" ON "readiness_report"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f6c90f38ba44935c54fb21a1f5" ON "readiness_report"  ("organization_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3f372271e168d82045fc3ff6ba" ON "readiness_report"  ("rollout_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "rollout_decision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "rollout_id" uuid NOT NULL, "readiness_report_id" uuid NOT NULL, "decision" text NOT NULL, "reason" text NOT NULL, "decided_by_id" uuid, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_2cd217f9e4ad041bbe368b155b0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7107e91320e919dc7c222d021c" ON "rollout_decision"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a221c77f84cfacb55a53f578cb" ON "rollout_decision"  ("organization_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_cde6fe519800d2b7d93fe48b7b" ON "rollout_decision"  ("rollout_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "report_share" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "report_kind" text NOT NULL, "report_id" uuid NOT NULL, "audience" text NOT NULL, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_by_id" uuid, CONSTRAINT "PK_818f8c1397a8942a9cccf32a3d4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_efd3e4af9e254cc33605d24d19" ON "report_share"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9d69dd5a279887c54edb7f2926" ON "report_share"  ("organization_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e052044db9756d0d16081472b2" ON "report_share"  ("report_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_acd6cf905f627c51421fed9e54" ON "report_share"  ("token_hash") `,
    );
    await queryRunner.query(`ALTER TABLE "rollout" ADD "readiness_thresholds" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(
      `ALTER TABLE "learning_report" ADD CONSTRAINT "FK_9dd4038b06279b98cab21fa621a" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "learning_report" ADD CONSTRAINT "FK_6fa23fbd34129c635cf0ac3cc97" FOREIGN KEY ("pilot_id") REFERENCES "pilot"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "learning_report" ADD CONSTRAINT "FK_6a1829eb35b806dc22201ec9058" FOREIGN KEY ("quarter_id") REFERENCES "quarter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "learning_note" ADD CONSTRAINT "FK_b97fa61bc30149b7be999047296" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "learning_note" ADD CONSTRAINT "FK_d6e90a5cceb48c277ef62f536ae" FOREIGN KEY ("pilot_id") REFERENCES "pilot"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "learning_note" ADD CONSTRAINT "FK_f9868ee64fddb44436ed47c4ae7" FOREIGN KEY ("quarter_id") REFERENCES "quarter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "learning_note" ADD CONSTRAINT "FK_c31cfed030f0a4f6cc7ecd7f20c" FOREIGN KEY ("author_id") REFERENCES "member"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "readiness_report" ADD CONSTRAINT "FK_0441a4f8306928c4b3a15c472e9" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "readiness_report" ADD CONSTRAINT "FK_3f372271e168d82045fc3ff6ba8" FOREIGN KEY ("rollout_id") REFERENCES "rollout"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rollout_decision" ADD CONSTRAINT "FK_7107e91320e919dc7c222d021cb" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rollout_decision" ADD CONSTRAINT "FK_cde6fe519800d2b7d93fe48b7ba" FOREIGN KEY ("rollout_id") REFERENCES "rollout"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rollout_decision" ADD CONSTRAINT "FK_bb481d3f8b9a7595fa1264d5845" FOREIGN KEY ("readiness_report_id") REFERENCES "readiness_report"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rollout_decision" ADD CONSTRAINT "FK_4030117ac15c197cd1bf6aa9f72" FOREIGN KEY ("decided_by_id") REFERENCES "member"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_share" ADD CONSTRAINT "FK_efd3e4af9e254cc33605d24d190" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report_share" DROP CONSTRAINT "FK_efd3e4af9e254cc33605d24d190"`);
    await queryRunner.query(
      `ALTER TABLE "rollout_decision" DROP CONSTRAINT "FK_4030117ac15c197cd1bf6aa9f72"`,
    );
    await queryRunner.query(
      `ALTER TABLE "rollout_decision" DROP CONSTRAINT "FK_bb481d3f8b9a7595fa1264d5845"`,
    );
    await queryRunner.query(
      `ALTER TABLE "rollout_decision" DROP CONSTRAINT "FK_cde6fe519800d2b7d93fe48b7ba"`,
    );
    await queryRunner.query(
      `ALTER TABLE "rollout_decision" DROP CONSTRAINT "FK_7107e91320e919dc7c222d021cb"`,
    );
    await queryRunner.query(
      `ALTER TABLE "readiness_report" DROP CONSTRAINT "FK_3f372271e168d82045fc3ff6ba8"`,
    );
    await queryRunner.query(
      `ALTER TABLE "readiness_report" DROP CONSTRAINT "FK_0441a4f8306928c4b3a15c472e9"`,
    );
    await queryRunner.query(`ALTER TABLE "learning_note" DROP CONSTRAINT "FK_c31cfed030f0a4f6cc7ecd7f20c"`);
    await queryRunner.query(`ALTER TABLE "learning_note" DROP CONSTRAINT "FK_f9868ee64fddb44436ed47c4ae7"`);
    await queryRunner.query(`ALTER TABLE "learning_note" DROP CONSTRAINT "FK_d6e90a5cceb48c277ef62f536ae"`);
    await queryRunner.query(`ALTER TABLE "learning_note" DROP CONSTRAINT "FK_b97fa61bc30149b7be999047296"`);
    await queryRunner.query(`ALTER TABLE "learning_report" DROP CONSTRAINT "FK_6a1829eb35b806dc22201ec9058"`);
    await queryRunner.query(`ALTER TABLE "learning_report" DROP CONSTRAINT "FK_6fa23fbd34129c635cf0ac3cc97"`);
    await queryRunner.query(`ALTER TABLE "learning_report" DROP CONSTRAINT "FK_9dd4038b06279b98cab21fa621a"`);
    await queryRunner.query(`ALTER TABLE "rollout" DROP COLUMN "readiness_thresholds"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_acd6cf905f627c51421fed9e54"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e052044db9756d0d16081472b2"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9d69dd5a279887c54edb7f2926"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_efd3e4af9e254cc33605d24d19"`);
    await queryRunner.query(`DROP TABLE "report_share"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cde6fe519800d2b7d93fe48b7b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a221c77f84cfacb55a53f578cb"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7107e91320e919dc7c222d021c"`);
    await queryRunner.query(`DROP TABLE "rollout_decision"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3f372271e168d82045fc3ff6ba"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f6c90f38ba44935c54fb21a1f5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0441a4f8306928c4b3a15c472e"`);
    await queryRunner.query(`DROP TABLE "readiness_report"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f9868ee64fddb44436ed47c4ae"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d6e90a5cceb48c277ef62f536a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9a38c975d46d6bb4f3afafd1b4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b97fa61bc30149b7be99904729"`);
    await queryRunner.query(`DROP TABLE "learning_note"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6a1829eb35b806dc22201ec905"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6fa23fbd34129c635cf0ac3cc9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9a26ed8a3809a0b4650de8cc44"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9dd4038b06279b98cab21fa621"`);
    await queryRunner.query(`DROP TABLE "learning_report"`);
  }
}
