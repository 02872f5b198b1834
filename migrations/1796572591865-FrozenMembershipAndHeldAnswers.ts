import { MigrationInterface, QueryRunner } from 'typeorm';

export class FrozenMembershipAndHeldAnswers1796572591865 implements MigrationInterface {
  name = 'FrozenMembershipAndHeldAnswers1796572591865';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // An invitation keeps the person's level and language as they were when its run opened. Existing
    // rows take the person's current ones; a person already erased, the pilot's first level and the
    // organization's language.
    await queryRunner.query(`ALTER TABLE "invitation" ADD "level" text`);
    await queryRunner.query(`ALTER TABLE "invitation" ADD "locale" text`);
    await queryRunner.query(
      `UPDATE "invitation" i
       SET "level" = coalesce((SELECT p.level FROM "participant" p WHERE p.id = i.participant_id), pi.levels[1], 'staff'),
           "locale" = coalesce((SELECT p.locale FROM "participant" p WHERE p.id = i.participant_id), o.default_locale)
       FROM "retrospective" r
       JOIN "pilot" pi ON pi.id = r.pilot_id
       JOIN "organization" o ON o.id = r.organization_id
       WHERE r.id = i.retrospective_id`,
    );
    await queryRunner.query(`ALTER TABLE "invitation" ALTER COLUMN "level" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "invitation" ALTER COLUMN "locale" SET NOT NULL`);

    await queryRunner.query(
      `CREATE TABLE "pending_answer" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "retrospective_id" uuid NOT NULL, "level" text NOT NULL, "locale" text NOT NULL, "answers" jsonb NOT NULL, CONSTRAINT "PK_eaedb87d0c9f137cc61a966522f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9a93ead9045948dc2e5d7e86ae" ON "pending_answer"  ("retrospective_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "pending_answer" ADD CONSTRAINT "FK_9a93ead9045948dc2e5d7e86aeb" FOREIGN KEY ("retrospective_id") REFERENCES "retrospective"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Answers still waiting join their runs' answers before the table goes.
    await queryRunner.query(
      `INSERT INTO "retrospective_response" (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
       SELECT workspace_id, retrospective_id, NULL, level, locale, answers, current_date FROM "pending_answer" ORDER BY random()`,
    );
    await queryRunner.query(`ALTER TABLE "pending_answer" DROP CONSTRAINT "FK_9a93ead9045948dc2e5d7e86aeb"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9a93ead9045948dc2e5d7e86ae"`);
    await queryRunner.query(`DROP TABLE "pending_answer"`);
    await queryRunner.query(`ALTER TABLE "invitation" DROP COLUMN "locale"`);
    await queryRunner.query(`ALTER TABLE "invitation" DROP COLUMN "level"`);
  }
}
