import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The optional second factor of owners (TOTP): the secret sealed at rest, one being enrolled, when it
 * was turned on, and the time step of the last code accepted (a code is never accepted twice). Sign-ins
 * waiting for their code and recovery codes are credentials like the others (`credential_token`,
 * digests only), told apart by purpose.
 */
export class SecondFactor1798100000000 implements MigrationInterface {
  name = 'SecondFactor1798100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "member" ADD "totp_secret" text`);
    await queryRunner.query(`ALTER TABLE "member" ADD "totp_pending_secret" text`);
    await queryRunner.query(`ALTER TABLE "member" ADD "totp_enabled_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "member" ADD "totp_last_step" bigint`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "member" DROP COLUMN "totp_last_step"`);
    await queryRunner.query(`ALTER TABLE "member" DROP COLUMN "totp_enabled_at"`);
    await queryRunner.query(`ALTER TABLE "member" DROP COLUMN "totp_pending_secret"`);
    await queryRunner.query(`ALTER TABLE "member" DROP COLUMN "totp_secret"`);
  }
}
