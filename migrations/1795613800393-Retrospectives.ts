import { MigrationInterface, QueryRunner } from 'typeorm';

export class Retrospectives1795613800393 implements MigrationInterface {
  name = 'Retrospectives1795613800393';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "question_set" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "description" text NOT NULL DEFAULT '', "questions" jsonb NOT NULL, "based_on" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_384a616ea05ec06da55c844430b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_72a19574ad2cc5a2ddcd0fbcc6" ON "question_set"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "retrospective" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "quarter_id" uuid NOT NULL, "pilot_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "question_set_ref" text NOT NULL, "questions" jsonb NOT NULL, "anonymity" text NOT NULL, "min_group_size" integer NOT NULL DEFAULT '5', "state" text NOT NULL DEFAULT 'open', "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_bfa042ccfc8c133f463a956dc32" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5ecd9c95e67cfb1fc014be4fe8" ON "retrospective"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_be72b3113489a0ee44e6a4693d" ON "retrospective"  ("pilot_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c1d1511ca49ea5b6dfd6945c38" ON "retrospective"  ("organization_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_af381c3547dfa4d15f9c53702a" ON "retrospective"  ("quarter_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "invitation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "retrospective_id" uuid NOT NULL, "participant_id" uuid, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_beb994737756c0f18a1c1f8669c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_2fd4dd7b20dfbda65736f41526" ON "invitation"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c86ec3d931ef6fad17c14f6d97" ON "invitation"  ("participant_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_76b34d88490951dd759e46a084" ON "invitation"  ("retrospective_id", "participant_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "invitation_token" ("token_hash" bytea NOT NULL, "invitation_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_09de1d534ab7416ac0185cc821f" PRIMARY KEY ("token_hash"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_36996ae08fff1be8e603b20d5d" ON "invitation_token"  ("invitation_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "retrospective_response" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "retrospective_id" uuid NOT NULL, "participant_id" uuid, "level" text NOT NULL, "locale" text NOT NULL, "answers" jsonb NOT NULL, "submitted_on" date NOT NULL, CONSTRAINT "PK_8b50ad6985588943117a5b64abc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f6e2013adeab32d393ca2fa0ed" ON "retrospective_response"  ("retrospective_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_30f81c3847d74b951d173508bf" ON "retrospective_response"  ("retrospective_id", "participant_id") WHERE participant_id IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "question_set" ADD CONSTRAINT "FK_72a19574ad2cc5a2ddcd0fbcc6e" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "retrospective" ADD CONSTRAINT "FK_5ecd9c95e67cfb1fc014be4fe89" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "retrospective" ADD CONSTRAINT "FK_af381c3547dfa4d15f9c53702a6" FOREIGN KEY ("quarter_id") REFERENCES "quarter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitation" ADD CONSTRAINT "FK_2fd4dd7b20dfbda65736f415269" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitation" ADD CONSTRAINT "FK_62b98c6ef756f9f372ffd2e56d7" FOREIGN KEY ("retrospective_id") REFERENCES "retrospective"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitation" ADD CONSTRAINT "FK_c86ec3d931ef6fad17c14f6d97d" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitation_token" ADD CONSTRAINT "FK_36996ae08fff1be8e603b20d5dc" FOREIGN KEY ("invitation_id") REFERENCES "invitation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "retrospective_response" ADD CONSTRAINT "FK_f6e2013adeab32d393ca2fa0ed2" FOREIGN KEY ("retrospective_id") REFERENCES "retrospective"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "retrospective_response" ADD CONSTRAINT "FK_64dfc159a92dd7d08e3fba36f71" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "retrospective_response" DROP CONSTRAINT "FK_64dfc159a92dd7d08e3fba36f71"`,
    );
    await queryRunner.query(
      `ALTER TABLE "retrospective_response" DROP CONSTRAINT "FK_f6e2013adeab32d393ca2fa0ed2"`,
    );
    await queryRunner.query(
      `ALTER TABLE "invitation_token" DROP CONSTRAINT "FK_36996ae08fff1be8e603b20d5dc"`,
    );
    await queryRunner.query(`ALTER TABLE "invitation" DROP CONSTRAINT "FK_c86ec3d931ef6fad17c14f6d97d"`);
    await queryRunner.query(`ALTER TABLE "invitation" DROP CONSTRAINT "FK_62b98c6ef756f9f372ffd2e56d7"`);
    await queryRunner.query(`ALTER TABLE "invitation" DROP CONSTRAINT "FK_2fd4dd7b20dfbda65736f415269"`);
    await queryRunner.query(`ALTER TABLE "retrospective" DROP CONSTRAINT "FK_af381c3547dfa4d15f9c53702a6"`);
    await queryRunner.query(`ALTER TABLE "retrospective" DROP CONSTRAINT "FK_5ecd9c95e67cfb1fc014be4fe89"`);
    await queryRunner.query(`ALTER TABLE "question_set" DROP CONSTRAINT "FK_72a19574ad2cc5a2ddcd0fbcc6e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_30f81c3847d74b951d173508bf"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f6e2013adeab32d393ca2fa0ed"`);
    await queryRunner.query(`DROP TABLE "retrospective_response"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_36996ae08fff1be8e603b20d5d"`);
    await queryRunner.query(`DROP TABLE "invitation_token"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_76b34d88490951dd759e46a084"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c86ec3d931ef6fad17c14f6d97"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2fd4dd7b20dfbda65736f41526"`);
    await queryRunner.query(`DROP TABLE "invitation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_af381c3547dfa4d15f9c53702a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c1d1511ca49ea5b6dfd6945c38"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_be72b3113489a0ee44e6a4693d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5ecd9c95e67cfb1fc014be4fe8"`);
    await queryRunner.query(`DROP TABLE "retrospective"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_72a19574ad2cc5a2ddcd0fbcc6"`);
    await queryRunner.query(`DROP TABLE "question_set"`);
  }
}
