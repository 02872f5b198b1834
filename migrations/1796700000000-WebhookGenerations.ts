import { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookGenerations1796700000000 implements MigrationInterface {
  name = 'WebhookGenerations1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_delivery" ADD "generation" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_delivery" DROP COLUMN "generation"`);
  }
}
