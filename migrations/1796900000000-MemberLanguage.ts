import { MigrationInterface, QueryRunner } from 'typeorm';

/** The console's language per member (fi, sv, en); null until the member chooses one. */
export class MemberLanguage1796900000000 implements MigrationInterface {
  name = 'MemberLanguage1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "member" ADD "locale" text`);
    await queryRunner.query(
      `ALTER TABLE "member" ADD CONSTRAINT "CHK_member_locale" CHECK ("locale" IN ('fi', 'sv', 'en'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "member" DROP CONSTRAINT "CHK_member_locale"`);
    await queryRunner.query(`ALTER TABLE "member" DROP COLUMN "locale"`);
  }
}
