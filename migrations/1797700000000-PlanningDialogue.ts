import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The planning dialogue: personal links to a quarter's draft OKRs (`planning_token`), what participants
 * say about the drafts (`planning_entry`), and the wording a draft had before an accepted rewording
 * (`planning_revision`).
 */

export class PlanningDialogue1797700000000 implements MigrationInterface {
  name = 'PlanningDialogue1797700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "planning_token" ("token_hash" bytea NOT NULL, "workspace_id" uuid NOT NULL, "quarter_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b1c1e62fdc94c456b8c1028e919" PRIMARY KEY ("token_hash"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e19d041e7917b88c218f78f450" ON "planning_token"  ("quarter_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c7137d866cb217143fec067b30" ON "planning_token"  ("participant_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4c3c0197afa46474ed70e7adae" ON "planning_token"  ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "planning_entry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "quarter_id" uuid NOT NULL, "pilot_id" uuid NOT NULL, "objective_id" uuid NOT NULL, "key_result_id" uuid, "participant_id" uuid NOT NULL, "kind" text NOT NULL, "body" text NOT NULL DEFAULT '', "proposed_title" text, "status" text NOT NULL DEFAULT 'open', "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f2122351846d0566501710f7cf1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7736844a4734b652798bcb9803" ON "planning_entry"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_290d25649e95225a2f89ccd905" ON "planning_entry"  ("pilot_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_09901b3a31881869678515aa51" ON "planning_entry"  ("objective_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_25bd025a5ce1f0822b89c917e9" ON "planning_entry"  ("key_result_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ae2306f3375afe4516b003acfa" ON "planning_entry"  ("participant_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_dcc995f85a4871f94b44c89863" ON "planning_entry"  ("quarter_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "planning_revision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "quarter_id" uuid NOT NULL, "objective_id" uuid NOT NULL, "key_result_id" uuid, "previous_title" text NOT NULL, "new_title" text NOT NULL, "entry_id" uuid, "accepted_by" uuid, CONSTRAINT "PK_d39826a7ad835ae9c30607fc098" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_323c245dbe6400cf6eff58069f" ON "planning_revision"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_75b7e673cbcf4004d5d166156a" ON "planning_revision"  ("quarter_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_debde4308994157cafccab35d7" ON "planning_revision"  ("objective_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_69cd018a9c71cb554c2f0018a6" ON "planning_revision"  ("key_result_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_token" ADD CONSTRAINT "FK_e19d041e7917b88c218f78f450e" FOREIGN KEY ("quarter_id") REFERENCES "quarter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_token" ADD CONSTRAINT "FK_c7137d866cb217143fec067b308" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_entry" ADD CONSTRAINT "FK_7736844a4734b652798bcb98039" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_entry" ADD CONSTRAINT "FK_627818e861409182cd913094dbc" FOREIGN KEY ("quarter_id") REFERENCES "quarter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_entry" ADD CONSTRAINT "FK_09901b3a31881869678515aa516" FOREIGN KEY ("objective_id") REFERENCES "objective"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_entry" ADD CONSTRAINT "FK_25bd025a5ce1f0822b89c917e9f" FOREIGN KEY ("key_result_id") REFERENCES "key_result"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_entry" ADD CONSTRAINT "FK_ae2306f3375afe4516b003acfa1" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_revision" ADD CONSTRAINT "FK_323c245dbe6400cf6eff58069f3" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_revision" ADD CONSTRAINT "FK_75b7e673cbcf4004d5d166156a0" FOREIGN KEY ("quarter_id") REFERENCES "quarter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_revision" ADD CONSTRAINT "FK_c89e5b4eb31a6daa5e564b1a33b" FOREIGN KEY ("entry_id") REFERENCES "planning_entry"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "planning_revision" DROP CONSTRAINT "FK_c89e5b4eb31a6daa5e564b1a33b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_revision" DROP CONSTRAINT "FK_75b7e673cbcf4004d5d166156a0"`,
    );
    await queryRunner.query(
      `ALTER TABLE "planning_revision" DROP CONSTRAINT "FK_323c245dbe6400cf6eff58069f3"`,
    );
    await queryRunner.query(`ALTER TABLE "planning_entry" DROP CONSTRAINT "FK_ae2306f3375afe4516b003acfa1"`);
    await queryRunner.query(`ALTER TABLE "planning_entry" DROP CONSTRAINT "FK_25bd025a5ce1f0822b89c917e9f"`);
    await queryRunner.query(`ALTER TABLE "planning_entry" DROP CONSTRAINT "FK_09901b3a31881869678515aa516"`);
    await queryRunner.query(`ALTER TABLE "planning_entry" DROP CONSTRAINT "FK_627818e861409182cd913094dbc"`);
    await queryRunner.query(`ALTER TABLE "planning_entry" DROP CONSTRAINT "FK_7736844a4734b652798bcb98039"`);
    await queryRunner.query(`ALTER TABLE "planning_token" DROP CONSTRAINT "FK_c7137d866cb217143fec067b308"`);
    await queryRunner.query(`ALTER TABLE "planning_token" DROP CONSTRAINT "FK_e19d041e7917b88c218f78f450e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_69cd018a9c71cb554c2f0018a6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_debde4308994157cafccab35d7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_75b7e673cbcf4004d5d166156a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_323c245dbe6400cf6eff58069f"`);
    await queryRunner.query(`DROP TABLE "planning_revision"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_dcc995f85a4871f94b44c89863"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ae2306f3375afe4516b003acfa"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_25bd025a5ce1f0822b89c917e9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_09901b3a31881869678515aa51"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_290d25649e95225a2f89ccd905"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7736844a4734b652798bcb9803"`);
    await queryRunner.query(`DROP TABLE "planning_entry"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4c3c0197afa46474ed70e7adae"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c7137d866cb217143fec067b30"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e19d041e7917b88c218f78f450"`);
    await queryRunner.query(`DROP TABLE "planning_token"`);
  }
}
