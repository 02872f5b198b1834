import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reports printed to PDF, kept per generation, language, audience and channel so each is printed once. */
export class ReportPdfCache1797800000000 implements MigrationInterface {
  name = 'ReportPdfCache1797800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "report_pdf" ("report_id" uuid NOT NULL, "generation" integer NOT NULL, "language" text NOT NULL, "audience" text NOT NULL, "channel" text NOT NULL, "report_kind" text NOT NULL, "workspace_id" uuid NOT NULL, "pdf" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e12fb287d8f16095a900f609272" PRIMARY KEY ("report_id", "generation", "language", "audience", "channel"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_pdf" ADD CONSTRAINT "FK_2c6133c379f4a8768a52056daf7" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report_pdf" DROP CONSTRAINT "FK_2c6133c379f4a8768a52056daf7"`);
    await queryRunner.query(`DROP TABLE "report_pdf"`);
  }
}
