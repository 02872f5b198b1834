import { MigrationInterface, QueryRunner } from 'typeorm';

export class Cadence1795612305230 implements MigrationInterface {
  name = 'Cadence1795612305230';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "cadence_step" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "rollout_id" uuid NOT NULL, "key" text NOT NULL, "position" integer NOT NULL, "kind" text NOT NULL, "anchor" text NOT NULL, "offset_days" integer NOT NULL, "send_time" text NOT NULL, "template" text NOT NULL, "audience" text NOT NULL, CONSTRAINT "PK_e0fb2b0667957aeee03a0b747ac" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_36379d6d25bfc59e8d41f7cd1e" ON "cadence_step"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_edea0ef042d0bc7baa4fb8ea07" ON "cadence_step"  ("rollout_id", "key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "cadence_dispatch" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "quarter_id" uuid NOT NULL, "step_key" text NOT NULL, "kind" text NOT NULL, "step_date" date NOT NULL, "recipients" integer NOT NULL DEFAULT '0', "skipped_reason" text, "dispatched_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_eca329ff53487e0a281f173b8c4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_4a3cc0a2dd3885c401586eb65b" ON "cadence_dispatch"  ("quarter_id", "step_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox_message" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "key" text NOT NULL, "quarter_id" uuid, "pilot_id" uuid, "step_key" text, "kind" text, "template" text NOT NULL, "participant_id" uuid, "member_id" uuid, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT 'pending', "generation" integer NOT NULL DEFAULT '0', "attempts" integer NOT NULL DEFAULT '0', "claimed_at" TIMESTAMP WITH TIME ZONE, "deferred_until" TIMESTAMP WITH TIME ZONE, "deferred_reason" text, "last_error" text, "message_id" text, "sent_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2f36ee5236f2793f3e7bd554589" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f3198f4ceb4841846ceb87dad7" ON "outbox_message"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_60069889e9af4340328629cd6b" ON "outbox_message"  ("quarter_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_cc86fda3dfc67547bc1c733448" ON "outbox_message"  ("participant_id", "claimed_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_f05c795f2193d270270c65c97b" ON "outbox_message"  ("status", "due_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_e06b294200d0e09060d812bca7" ON "outbox_message"  ("key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "unsubscribe_token" ("token_hash" bytea NOT NULL, "workspace_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9e7be324ff19dc9398c2a9b9621" PRIMARY KEY ("token_hash"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5e433ff6925bf7a564164fa55e" ON "unsubscribe_token"  ("participant_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "message_template" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "locale" text NOT NULL, "subject" text NOT NULL, "body" text NOT NULL, "updated_by_id" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_616800da109c721fb4dd2019a9b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5cb33cb12cd2ff79204bb8c27c" ON "message_template"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_289537326c00a43f266174f6b1" ON "message_template"  ("workspace_id", "name", "locale") `,
    );
    await queryRunner.query(
      `CREATE TABLE "captured_mail" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "message_id" text NOT NULL, "recipients" text array NOT NULL, "subject" text NOT NULL, "raw" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3c0c3d83ab87f9026be97a5df14" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`ALTER TABLE "rollout" ADD "weekly_email_cap" integer NOT NULL DEFAULT '5'`);
    await queryRunner.query(`ALTER TABLE "rollout" ADD "quiet_hours_start" text NOT NULL DEFAULT '20:00'`);
    await queryRunner.query(`ALTER TABLE "rollout" ADD "quiet_hours_end" text NOT NULL DEFAULT '07:00'`);
    await queryRunner.query(
      `ALTER TABLE "cadence_step" ADD CONSTRAINT "FK_36379d6d25bfc59e8d41f7cd1ea" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cadence_step" ADD CONSTRAINT "FK_83fd0a4886b6b878cffe68c2e22" FOREIGN KEY ("rollout_id") REFERENCES "rollout"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cadence_dispatch" ADD CONSTRAINT "FK_4e4f2967e88d2e7d8e1963af715" FOREIGN KEY ("quarter_id") REFERENCES "quarter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "outbox_message" ADD CONSTRAINT "FK_f3198f4ceb4841846ceb87dad78" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "outbox_message" ADD CONSTRAINT "FK_60069889e9af4340328629cd6b9" FOREIGN KEY ("quarter_id") REFERENCES "quarter"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "outbox_message" ADD CONSTRAINT "FK_ff2d1d0c49243cc988b79804c77" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "outbox_message" ADD CONSTRAINT "FK_17cb132c3ed42aafe6ab7228e4d" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "unsubscribe_token" ADD CONSTRAINT "FK_5e433ff6925bf7a564164fa55ed" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_template" ADD CONSTRAINT "FK_5cb33cb12cd2ff79204bb8c27cf" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "message_template" DROP CONSTRAINT "FK_5cb33cb12cd2ff79204bb8c27cf"`,
    );
    await queryRunner.query(
      `ALTER TABLE "unsubscribe_token" DROP CONSTRAINT "FK_5e433ff6925bf7a564164fa55ed"`,
    );
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP CONSTRAINT "FK_17cb132c3ed42aafe6ab7228e4d"`);
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP CONSTRAINT "FK_ff2d1d0c49243cc988b79804c77"`);
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP CONSTRAINT "FK_60069889e9af4340328629cd6b9"`);
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP CONSTRAINT "FK_f3198f4ceb4841846ceb87dad78"`);
    await queryRunner.query(
      `ALTER TABLE "cadence_dispatch" DROP CONSTRAINT "FK_4e4f2967e88d2e7d8e1963af715"`,
    );
    await queryRunner.query(`ALTER TABLE "cadence_step" DROP CONSTRAINT "FK_83fd0a4886b6b878cffe68c2e22"`);
    await queryRunner.query(`ALTER TABLE "cadence_step" DROP CONSTRAINT "FK_36379d6d25bfc59e8d41f7cd1ea"`);
    await queryRunner.query(`ALTER TABLE "rollout" DROP COLUMN "quiet_hours_end"`);
    await queryRunner.query(`ALTER TABLE "rollout" DROP COLUMN "quiet_hours_start"`);
    await queryRunner.query(`ALTER TABLE "rollout" DROP COLUMN "weekly_email_cap"`);
    await queryRunner.query(`DROP TABLE "captured_mail"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_289537326c00a43f266174f6b1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5cb33cb12cd2ff79204bb8c27c"`);
    await queryRunner.query(`DROP TABLE "message_template"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5e433ff6925bf7a564164fa55e"`);
    await queryRunner.query(`DROP TABLE "unsubscribe_token"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e06b294200d0e09060d812bca7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f05c795f2193d270270c65c97b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cc86fda3dfc67547bc1c733448"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_60069889e9af4340328629cd6b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f3198f4ceb4841846ceb87dad7"`);
    await queryRunner.query(`DROP TABLE "outbox_message"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4a3cc0a2dd3885c401586eb65b"`);
    await queryRunner.query(`DROP TABLE "cadence_dispatch"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_edea0ef042d0bc7baa4fb8ea07"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_36379d6d25bfc59e8d41f7cd1e"`);
    await queryRunner.query(`DROP TABLE "cadence_step"`);
  }
}
