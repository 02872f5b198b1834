import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The send quota is taken a batch at a time: one statement takes what the batch wants, or what is left,
 * and says how many it took (`last_taken`, as the row's old count is not visible to RETURNING).
 */
export class SendQuotaBatches1797950000000 implements MigrationInterface {
  name = 'SendQuotaBatches1797950000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "send_quota" ADD "last_taken" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "send_quota" DROP COLUMN "last_taken"`);
  }
}
