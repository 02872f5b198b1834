import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bounces: a participant whose mail came back for good (a DSN or a provider's notice) is marked and
 * receives nothing more until a coach clears it; the outbox row that bounced records it too.
 */
export class Bounces1797200000000 implements MigrationInterface {
  name = 'Bounces1797200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "participant" ADD "bounced_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "participant" ADD "bounce_reason" text`);
    await queryRunner.query(`ALTER TABLE "participant" ADD "bounced_mail" uuid`);
    await queryRunner.query(`ALTER TABLE "outbox_message" ADD "bounced_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "outbox_message" ADD "bounce_reason" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP COLUMN "bounce_reason"`);
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP COLUMN "bounced_at"`);
    await queryRunner.query(`ALTER TABLE "participant" DROP COLUMN "bounced_mail"`);
    await queryRunner.query(`ALTER TABLE "participant" DROP COLUMN "bounce_reason"`);
    await queryRunner.query(`ALTER TABLE "participant" DROP COLUMN "bounced_at"`);
  }
}
