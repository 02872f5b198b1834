import { MigrationInterface, QueryRunner } from 'typeorm';

export class CheckIns1795616425136 implements MigrationInterface {
  name = 'CheckIns1795616425136';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "check_in_token" ("token_hash" bytea NOT NULL, "workspace_id" uuid NOT NULL, "quarter_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "week" integer NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b28a03a43b785f2b8f32c5cf6d5" PRIMARY KEY ("token_hash"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a0affabd5a51923592b4dc59e4" ON "check_in_token"  ("quarter_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_bd731f0c8b4a51fefa3ced69d1" ON "check_in_token"  ("participant_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "check_in" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "quarter_id" uuid NOT NULL, "key_result_id" uuid NOT NULL, "participant_id" uuid, "week" integer NOT NULL, "current_value" numeric, "done" boolean, "confidence" integer NOT NULL, "note" text NOT NULL DEFAULT '', "recorded_on" date NOT NULL, CONSTRAINT "CHK_check_in_confidence" CHECK ("confidence" BETWEEN 0 AND 10), CONSTRAINT "PK_9c026e16735aea10812a3888d6c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_09c3d428b44a58f46d745ccf76" ON "check_in"  ("workspace_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_323e23a116197a8ee526c38d19" ON "check_in"  ("organization_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_c69bb98ea6e5b2a93f363e22c9" ON "check_in"  ("quarter_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_44ecdffaaa589b3a80366df9dd" ON "check_in"  ("participant_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_51a91022f0304f27c5d0cf1a2c" ON "check_in"  ("key_result_id", "week") `,
    );
    await queryRunner.query(
      `ALTER TABLE "check_in_token" ADD CONSTRAINT "FK_a0affabd5a51923592b4dc59e4b" FOREIGN KEY ("quarter_id") REFERENCES "quarter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "check_in_token" ADD CONSTRAINT "FK_bd731f0c8b4a51fefa3ced69d16" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "check_in" ADD CONSTRAINT "FK_09c3d428b44a58f46d745ccf763" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "check_in" ADD CONSTRAINT "FK_c69bb98ea6e5b2a93f363e22c9c" FOREIGN KEY ("quarter_id") REFERENCES "quarter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "check_in" ADD CONSTRAINT "FK_80d62cd941731f09fb89c53ec7f" FOREIGN KEY ("key_result_id") REFERENCES "key_result"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "check_in" ADD CONSTRAINT "FK_44ecdffaaa589b3a80366df9dd7" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "check_in" DROP CONSTRAINT "FK_44ecdffaaa589b3a80366df9dd7"`);
    await queryRunner.query(`ALTER TABLE "check_in" DROP CONSTRAINT "FK_80d62cd941731f09fb89c53ec7f"`);
    await queryRunner.query(`ALTER TABLE "check_in" DROP CONSTRAINT "FK_c69bb98ea6e5b2a93f363e22c9c"`);
    await queryRunner.query(`ALTER TABLE "check_in" DROP CONSTRAINT "FK_09c3d428b44a58f46d745ccf763"`);
    await queryRunner.query(`ALTER TABLE "check_in_token" DROP CONSTRAINT "FK_bd731f0c8b4a51fefa3ced69d16"`);
    await queryRunner.query(`ALTER TABLE "check_in_token" DROP CONSTRAINT "FK_a0affabd5a51923592b4dc59e4b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_51a91022f0304f27c5d0cf1a2c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_44ecdffaaa589b3a80366df9dd"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c69bb98ea6e5b2a93f363e22c9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_323e23a116197a8ee526c38d19"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_09c3d428b44a58f46d745ccf76"`);
    await queryRunner.query(`DROP TABLE "check_in"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bd731f0c8b4a51fefa3ced69d1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a0affabd5a51923592b4dc59e4"`);
    await queryRunner.query(`DROP TABLE "check_in_token"`);
  }
}
