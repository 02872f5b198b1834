import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The next wave from the last: a pilot remembers the `go` decision it was created from and the size it
 * was planned for; a learning note can be marked as a lesson for the next wave.
 */
export class NextWave1797400000000 implements MigrationInterface {
  name = 'NextWave1797400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "pilot" ADD "planned_size" integer`);
    await queryRunner.query(`ALTER TABLE "pilot" ADD "decision_id" uuid`);
    await queryRunner.query(`ALTER TABLE "learning_note" ADD "for_next_wave" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`CREATE INDEX "IDX_531a4eab5820445a4669ae7f75" ON "pilot"  ("decision_id") `);
    await queryRunner.query(
      `ALTER TABLE "pilot" ADD CONSTRAINT "FK_531a4eab5820445a4669ae7f750" FOREIGN KEY ("decision_id") REFERENCES "rollout_decision"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "pilot" DROP CONSTRAINT "FK_531a4eab5820445a4669ae7f750"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_531a4eab5820445a4669ae7f75"`);
    await queryRunner.query(`ALTER TABLE "learning_note" DROP COLUMN "for_next_wave"`);
    await queryRunner.query(`ALTER TABLE "pilot" DROP COLUMN "decision_id"`);
    await queryRunner.query(`ALTER TABLE "pilot" DROP COLUMN "planned_size"`);
  }
}
