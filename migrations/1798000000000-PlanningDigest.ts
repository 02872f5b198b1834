import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The planning digests: each beat looks for the entries written on the day that just ended, across every
 * quarter, so `planning_entry` is indexed by when an entry was written.
 */
export class PlanningDigest1798000000000 implements MigrationInterface {
  name = 'PlanningDigest1798000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_123b5679a4177891bb8c2e1c58" ON "planning_entry" ("created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_123b5679a4177891bb8c2e1c58"`);
  }
}
