import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportGenerations1795623236795 implements MigrationInterface {
  name = 'ReportGenerations1795623236795';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "readiness_report" ADD "generation" integer NOT NULL DEFAULT '1'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "readiness_report" DROP COLUMN "generation"`);
  }
}
