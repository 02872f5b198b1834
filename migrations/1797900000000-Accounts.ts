import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts: a workspace's sign-up address is confirmed by a mailed link before its mail goes out.
 * Workspaces that exist already keep sending (confirmed as of their creation). Confirmation and reset
 * links are credentials like the others (`credential_token`, digests only), told apart by purpose.
 */
export class Accounts1797900000000 implements MigrationInterface {
  name = 'Accounts1797900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workspace" ADD "email_confirmed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "workspace" SET "email_confirmed_at" = "created_at"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workspace" DROP COLUMN "email_confirmed_at"`);
  }
}
