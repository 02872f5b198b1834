import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795610690199 implements MigrationInterface {
  name = 'Foundation1795610690199';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workspace" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ca86b6f9b3be5fe26d307d09b49" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "member" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "email" text NOT NULL, "name" text NOT NULL, "role" text NOT NULL, "password_hash" text, "invited_by_id" uuid, "accepted_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_97cbbe986ce9d14ca5894fdc072" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_2fa5b4d4199a7e51c30ab9fca1" ON "member"  ("workspace_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_4678079964ab375b2b31849456" ON "member"  ("email") `);
    await queryRunner.query(
      `CREATE TABLE "credential_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "member_id" uuid NOT NULL, "purpose" text NOT NULL, "token_hash" bytea NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_1c9b32640715a4da329de71d956" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_71288321f5207392d77db1e4b4" ON "credential_token"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0585fc18df4c93a599787efc25" ON "credential_token"  ("member_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_3284836910d8199e0b888d1f74" ON "credential_token"  ("token_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "organization" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "sector" text NOT NULL, "headcount" integer NOT NULL, "default_locale" text NOT NULL DEFAULT 'fi', "time_zone" text NOT NULL DEFAULT 'Europe/Helsinki', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_472c1f99a32def1b0abb219cd67" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_2f040c4b62fb2a1d372a7013c5" ON "organization"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sponsor_grant" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "member_id" uuid NOT NULL, "organization_id" uuid NOT NULL, CONSTRAINT "PK_d74d68637de58e4135692724b3f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7c7b691e51de24bdae9a733b27" ON "sponsor_grant"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a233bd0c5c866d1c362dda6185" ON "sponsor_grant"  ("organization_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_78c4ab7ab90527c32641aa37f8" ON "sponsor_grant"  ("member_id", "organization_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "rollout" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "organization_id" uuid NOT NULL, "goal" text NOT NULL, "target_headcount" integer NOT NULL, "planned_waves" integer NOT NULL, "status" text NOT NULL DEFAULT 'planning', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_96a66b8ca2a1fb3c7d647b00762" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_0b1b5b39f64dd0adf87d8d44d8" ON "rollout"  ("workspace_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_2c13f4cbcf008041a8105ebc05" ON "rollout"  ("organization_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "pilot" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "rollout_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "name" text NOT NULL, "wave_number" integer NOT NULL, "levels" text array NOT NULL, "charter_scope" text NOT NULL DEFAULT '', "charter_success_criteria" text NOT NULL DEFAULT '', "charter_decision_date" date, "coach_id" uuid, "start_quarter" text NOT NULL, "quarter_count" integer NOT NULL DEFAULT '4', "state" text NOT NULL DEFAULT 'planned', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_921e16d425d1f58dcec5fe90bba" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_76b452d41be1827b01b17f0a22" ON "pilot"  ("workspace_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_efa1af8f7dee0728e4cdc06f24" ON "pilot"  ("rollout_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_de128063e29249c7ca0ed82ccf" ON "pilot"  ("organization_id") `);
    await queryRunner.query(
      `CREATE TABLE "quarter" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "pilot_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "number" integer NOT NULL, "label" text NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "state" text NOT NULL DEFAULT 'upcoming', "activated_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_253da18f42c0f18892c941cf0ec" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_fcd5fe442c886194c7cbe97386" ON "quarter"  ("workspace_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_5b5fd607b673bff952f56d303c" ON "quarter"  ("organization_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_33b2252ad8578fa10c231cc9b2" ON "quarter"  ("pilot_id", "number") `,
    );
    await queryRunner.query(
      `CREATE TABLE "participant" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "email" text NOT NULL, "name" text NOT NULL, "locale" text NOT NULL, "time_zone" text NOT NULL, "level" text NOT NULL, "unsubscribed_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_64da4237f502041781ca15d4c41" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_eff1d08d0b5da55a3f453e235b" ON "participant"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_2787c3e36f90a1912699a998a3" ON "participant"  ("workspace_id", "email") `,
    );
    await queryRunner.query(
      `CREATE TABLE "pilot_membership" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "workspace_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "pilot_id" uuid NOT NULL, "participant_id" uuid NOT NULL, "organization_id" uuid NOT NULL, CONSTRAINT "PK_6643d998c2e1915e059e4dc13e8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_426072549d1171a3846a86d6d8" ON "pilot_membership"  ("workspace_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0e545191506949e061c70dc957" ON "pilot_membership"  ("participant_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_e715486bae0229a6b7629935db" ON "pilot_membership"  ("pilot_id", "participant_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("id" BIGSERIAL NOT NULL, "workspace_id" uuid NOT NULL, "actor_id" uuid, "action" text NOT NULL, "entity_type" text NOT NULL, "entity_id" text NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ad96b924f4be9948a24b05879b" ON "audit_event"  ("workspace_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "heartbeat" ("key" text NOT NULL, "workspace_id" uuid, "enqueued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "processed_at" TIMESTAMP WITH TIME ZONE, "worker_pid" integer, "attempts" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_bf55498f98c1d0b7e1b6fd2c46b" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "member" ADD CONSTRAINT "FK_2fa5b4d4199a7e51c30ab9fca17" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "credential_token" ADD CONSTRAINT "FK_71288321f5207392d77db1e4b43" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "credential_token" ADD CONSTRAINT "FK_0585fc18df4c93a599787efc252" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "organization" ADD CONSTRAINT "FK_2f040c4b62fb2a1d372a7013c5b" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sponsor_grant" ADD CONSTRAINT "FK_7c7b691e51de24bdae9a733b273" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sponsor_grant" ADD CONSTRAINT "FK_2fa4372c43328394176d2ef329b" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sponsor_grant" ADD CONSTRAINT "FK_a233bd0c5c866d1c362dda61859" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rollout" ADD CONSTRAINT "FK_0b1b5b39f64dd0adf87d8d44d80" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rollout" ADD CONSTRAINT "FK_2c13f4cbcf008041a8105ebc05b" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pilot" ADD CONSTRAINT "FK_76b452d41be1827b01b17f0a22a" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pilot" ADD CONSTRAINT "FK_efa1af8f7dee0728e4cdc06f246" FOREIGN KEY ("rollout_id") REFERENCES "rollout"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pilot" ADD CONSTRAINT "FK_007f4fed1fda9a22370c4c603c0" FOREIGN KEY ("coach_id") REFERENCES "member"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "quarter" ADD CONSTRAINT "FK_fcd5fe442c886194c7cbe973866" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "quarter" ADD CONSTRAINT "FK_641edc012c40ea16ce9314b18c2" FOREIGN KEY ("pilot_id") REFERENCES "pilot"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "participant" ADD CONSTRAINT "FK_eff1d08d0b5da55a3f453e235ba" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pilot_membership" ADD CONSTRAINT "FK_426072549d1171a3846a86d6d8b" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pilot_membership" ADD CONSTRAINT "FK_05a907aff168611f969430cb512" FOREIGN KEY ("pilot_id") REFERENCES "pilot"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pilot_membership" ADD CONSTRAINT "FK_0e545191506949e061c70dc957b" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_event" ADD CONSTRAINT "FK_3eb7f6b11b92bd87e16c05fca40" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_event" DROP CONSTRAINT "FK_3eb7f6b11b92bd87e16c05fca40"`);
    await queryRunner.query(
      `ALTER TABLE "pilot_membership" DROP CONSTRAINT "FK_0e545191506949e061c70dc957b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "pilot_membership" DROP CONSTRAINT "FK_05a907aff168611f969430cb512"`,
    );
    await queryRunner.query(
      `ALTER TABLE "pilot_membership" DROP CONSTRAINT "FK_426072549d1171a3846a86d6d8b"`,
    );
    await queryRunner.query(`ALTER TABLE "participant" DROP CONSTRAINT "FK_eff1d08d0b5da55a3f453e235ba"`);
    await queryRunner.query(`ALTER TABLE "quarter" DROP CONSTRAINT "FK_641edc012c40ea16ce9314b18c2"`);
    await queryRunner.query(`ALTER TABLE "quarter" DROP CONSTRAINT "FK_fcd5fe442c886194c7cbe973866"`);
    await queryRunner.query(`ALTER TABLE "pilot" DROP CONSTRAINT "FK_007f4fed1fda9a22370c4c603c0"`);
    await queryRunner.query(`ALTER TABLE "pilot" DROP CONSTRAINT "FK_efa1af8f7dee0728e4cdc06f246"`);
    await queryRunner.query(`ALTER TABLE "pilot" DROP CONSTRAINT "FK_76b452d41be1827b01b17f0a22a"`);
    await queryRunner.query(`ALTER TABLE "rollout" DROP CONSTRAINT "FK_2c13f4cbcf008041a8105ebc05b"`);
    await queryRunner.query(`ALTER TABLE "rollout" DROP CONSTRAINT "FK_0b1b5b39f64dd0adf87d8d44d80"`);
    await queryRunner.query(`ALTER TABLE "sponsor_grant" DROP CONSTRAINT "FK_a233bd0c5c866d1c362dda61859"`);
    await queryRunner.query(`ALTER TABLE "sponsor_grant" DROP CONSTRAINT "FK_2fa4372c43328394176d2ef329b"`);
    await queryRunner.query(`ALTER TABLE "sponsor_grant" DROP CONSTRAINT "FK_7c7b691e51de24bdae9a733b273"`);
    await queryRunner.query(`ALTER TABLE "organization" DROP CONSTRAINT "FK_2f040c4b62fb2a1d372a7013c5b"`);
    await queryRunner.query(
      `ALTER TABLE "credential_token" DROP CONSTRAINT "FK_0585fc18df4c93a599787efc252"`,
    );
    await queryRunner.query(
      `ALTER TABLE "credential_token" DROP CONSTRAINT "FK_71288321f5207392d77db1e4b43"`,
    );
    await queryRunner.query(`ALTER TABLE "member" DROP CONSTRAINT "FK_2fa5b4d4199a7e51c30ab9fca17"`);
    await queryRunner.query(`DROP TABLE "heartbeat"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ad96b924f4be9948a24b05879b"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e715486bae0229a6b7629935db"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0e545191506949e061c70dc957"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_426072549d1171a3846a86d6d8"`);
    await queryRunner.query(`DROP TABLE "pilot_membership"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2787c3e36f90a1912699a998a3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_eff1d08d0b5da55a3f453e235b"`);
    await queryRunner.query(`DROP TABLE "participant"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_33b2252ad8578fa10c231cc9b2"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5b5fd607b673bff952f56d303c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_fcd5fe442c886194c7cbe97386"`);
    await queryRunner.query(`DROP TABLE "quarter"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_de128063e29249c7ca0ed82ccf"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_efa1af8f7dee0728e4cdc06f24"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_76b452d41be1827b01b17f0a22"`);
    await queryRunner.query(`DROP TABLE "pilot"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2c13f4cbcf008041a8105ebc05"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0b1b5b39f64dd0adf87d8d44d8"`);
    await queryRunner.query(`DROP TABLE "rollout"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_78c4ab7ab90527c32641aa37f8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a233bd0c5c866d1c362dda6185"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7c7b691e51de24bdae9a733b27"`);
    await queryRunner.query(`DROP TABLE "sponsor_grant"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2f040c4b62fb2a1d372a7013c5"`);
    await queryRunner.query(`DROP TABLE "organization"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3284836910d8199e0b888d1f74"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0585fc18df4c93a599787efc25"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_71288321f5207392d77db1e4b4"`);
    await queryRunner.query(`DROP TABLE "credential_token"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4678079964ab375b2b31849456"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2fa5b4d4199a7e51c30ab9fca1"`);
    await queryRunner.query(`DROP TABLE "member"`);
    await queryRunner.query(`DROP TABLE "workspace"`);
  }
}
