import { MigrationInterface, QueryRunner } from 'typeorm';

export class Okrs1795615257084 implements MigrationInterface {
  name = 'Okrs1795615257084';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "objective" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "quarter_id" uuid NOT NULL, "pilot_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "title" text NOT NULL, "description" text NOT NULL DEFAULT '', "owner_id" uuid, "level" text, "position" integer NOT NULL DEFAULT '0', "carried_from_id" uuid, "final_score" double precision, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_objective_final_score" CHECK ("final_score" BETWEEN 0 AND 1), CONSTRAINT "PK_1084365b2a588160b31361a252e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b5d2402ab940db8480ce6a2e5a" ON "objective"  ("workspace_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_2815b8bfc9ffe6175e7c5f9352" ON "objective"  ("pilot_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_e2fe81d4ebbffe298b223ff1e3" ON "objective"  ("organization_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_3e9e716f8dbeb75b4b8532d214" ON "objective"  ("owner_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_d70ccca620bcbba40d3f3be669" ON "objective"  ("carried_from_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_70c8cf0a1da530d8902b480298" ON "objective"  ("quarter_id", "title") `,
    );
    await queryRunner.query(
      `CREATE TABLE "key_result" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "objective_id" uuid NOT NULL, "quarter_id" uuid NOT NULL, "pilot_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "title" text NOT NULL, "kind" text NOT NULL DEFAULT 'committed', "measure" text NOT NULL, "start_value" double precision, "target_value" double precision, "unit" text NOT NULL DEFAULT '', "current_value" double precision, "done" boolean NOT NULL DEFAULT false, "owner_id" uuid, "confidence" integer, "recorded_at" TIMESTAMP WITH TIME ZONE, "final_score" double precision, "scored_at" TIMESTAMP WITH TIME ZONE, "position" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_key_result_final_score" CHECK ("final_score" BETWEEN 0 AND 1), CONSTRAINT "CHK_key_result_confidence" CHECK ("confidence" BETWEEN 0 AND 10), CONSTRAINT "PK_9064c5abe9ba68432934564d43f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_521e611a60fe1df5b150952a5d" ON "key_result"  ("workspace_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_02c588c31170450e5eaa08a98b" ON "key_result"  ("quarter_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_85ab78b6798c35a652d9c26f2d" ON "key_result"  ("pilot_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_5ce1fec58cd2816a2f40621f02" ON "key_result"  ("organization_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_467fb7f46035c6aa81790e6c9f" ON "key_result"  ("owner_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_df79aa33f016f718fa5fd70c89" ON "key_result"  ("objective_id", "title") `,
    );
    await queryRunner.query(
      `ALTER TABLE "objective" ADD CONSTRAINT "FK_b5d2402ab940db8480ce6a2e5a1" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "objective" ADD CONSTRAINT "FK_004c3cb679025fd97f95ced9662" FOREIGN KEY ("quarter_id") REFERENCES "quarter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "objective" ADD CONSTRAINT "FK_3e9e716f8dbeb75b4b8532d2145" FOREIGN KEY ("owner_id") REFERENCES "participant"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "objective" ADD CONSTRAINT "FK_d70ccca620bcbba40d3f3be669a" FOREIGN KEY ("carried_from_id") REFERENCES "objective"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "key_result" ADD CONSTRAINT "FK_521e611a60fe1df5b150952a5d3" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "key_result" ADD CONSTRAINT "FK_af1d41e09197fe425efd4c50ede" FOREIGN KEY ("objective_id") REFERENCES "objective"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "key_result" ADD CONSTRAINT "FK_467fb7f46035c6aa81790e6c9f2" FOREIGN KEY ("owner_id") REFERENCES "participant"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "key_result" DROP CONSTRAINT "FK_467fb7f46035c6aa81790e6c9f2"`);
    await queryRunner.query(`ALTER TABLE "key_result" DROP CONSTRAINT "FK_af1d41e09197fe425efd4c50ede"`);
    await queryRunner.query(`ALTER TABLE "key_result" DROP CONSTRAINT "FK_521e611a60fe1df5b150952a5d3"`);
    await queryRunner.query(`ALTER TABLE "objective" DROP CONSTRAINT "FK_d70ccca620bcbba40d3f3be669a"`);
    await queryRunner.query(`ALTER TABLE "objective" DROP CONSTRAINT "FK_3e9e716f8dbeb75b4b8532d2145"`);
    await queryRunner.query(`ALTER TABLE "objective" DROP CONSTRAINT "FK_004c3cb679025fd97f95ced9662"`);
    await queryRunner.query(`ALTER TABLE "objective" DROP CONSTRAINT "FK_b5d2402ab940db8480ce6a2e5a1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_df79aa33f016f718fa5fd70c89"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_467fb7f46035c6aa81790e6c9f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5ce1fec58cd2816a2f40621f02"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_85ab78b6798c35a652d9c26f2d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_02c588c31170450e5eaa08a98b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_521e611a60fe1df5b150952a5d"`);
    await queryRunner.query(`DROP TABLE "key_result"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_70c8cf0a1da530d8902b480298"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d70ccca620bcbba40d3f3be669"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3e9e716f8dbeb75b4b8532d214"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e2fe81d4ebbffe298b223ff1e3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2815b8bfc9ffe6175e7c5f9352"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b5d2402ab940db8480ce6a2e5a"`);
    await queryRunner.query(`DROP TABLE "objective"`);
  }
}
