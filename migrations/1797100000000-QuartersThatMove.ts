import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quarters that move themselves: an organization's quiet periods (recurring month-day ranges) and the
 * month its fiscal year starts; a pilot's wish to wait for the coach's review at a quarter's end; and,
 * outside production, the clock offset the API and the worker share (`POST /dev/clock`).
 */
export class QuartersThatMove1797100000000 implements MigrationInterface {
  name = 'QuartersThatMove1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organization" ADD "quiet_periods" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(
      `ALTER TABLE "organization" ADD "fiscal_year_start_month" integer NOT NULL DEFAULT '1'`,
    );
    await queryRunner.query(`ALTER TABLE "pilot" ADD "wait_for_review" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `CREATE TABLE "dev_clock" ("id" integer NOT NULL, "offset_ms" bigint NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dev_clock" PRIMARY KEY ("id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "dev_clock"`);
    await queryRunner.query(`ALTER TABLE "pilot" DROP COLUMN "wait_for_review"`);
    await queryRunner.query(`ALTER TABLE "organization" DROP COLUMN "fiscal_year_start_month"`);
    await queryRunner.query(`ALTER TABLE "organization" DROP COLUMN "quiet_periods"`);
  }
}
