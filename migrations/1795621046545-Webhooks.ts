import { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1795621046545 implements MigrationInterface {
  name = 'Webhooks1795621046545';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook_endpoint" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "url" text NOT NULL, "events" text array NOT NULL, "secret" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "description" text, "created_by_id" uuid, CONSTRAINT "PK_6c98112122b2b8a4f3984d2efa8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_fa1b5f2b928306cae9ca28ef0b" ON "webhook_endpoint"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "endpoint_id" uuid NOT NULL, "event" text NOT NULL, "key" text NOT NULL, "payload" jsonb NOT NULL, "status" text NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "response_status" integer, "sent_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_fbf2a4a814eb098ff69b18b5ac" ON "webhook_delivery"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6d87117e1f9436e8c9e9d0ff24" ON "webhook_delivery"  ("status", "updated_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e5d8cd6dd4dea3a47de2166f10" ON "webhook_delivery"  ("endpoint_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_af0075205f23ca8436f613dfe0" ON "webhook_delivery"  ("key") `,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "FK_fa1b5f2b928306cae9ca28ef0b0" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_delivery" ADD CONSTRAINT "FK_fbf2a4a814eb098ff69b18b5acc" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_delivery" ADD CONSTRAINT "FK_f53f5aec02217a54927b13e39d9" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "webhook_delivery" DROP CONSTRAINT "FK_f53f5aec02217a54927b13e39d9"`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_delivery" DROP CONSTRAINT "FK_fbf2a4a814eb098ff69b18b5acc"`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_endpoint" DROP CONSTRAINT "FK_fa1b5f2b928306cae9ca28ef0b0"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_af0075205f23ca8436f613dfe0"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e5d8cd6dd4dea3a47de2166f10"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6d87117e1f9436e8c9e9d0ff24"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fbf2a4a814eb098ff69b18b5ac"`);
    await queryRunner.query(`DROP TABLE "webhook_delivery"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fa1b5f2b928306cae9ca28ef0b"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoint"`);
  }
}
