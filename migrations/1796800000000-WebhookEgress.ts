import { createCipheriv, randomBytes } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { webhookSecretKey } from '../libs/config/src/app-config';

/**
 * Webhook egress: endpoint secrets encrypted at rest (with room for a rotated-out secret), the answer's
 * timing on deliveries, and no receiver's words kept in `last_error`.
 */
export class WebhookEgress1796800000000 implements MigrationInterface {
  name = 'WebhookEgress1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" ADD "previous_secret" text`);
    await queryRunner.query(
      `ALTER TABLE "webhook_endpoint" ADD "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(`ALTER TABLE "webhook_delivery" ADD "response_ms" integer`);
    // "HTTP 500: {body}" kept 300 characters of whatever the receiver answered: keep the status only.
    await queryRunner.query(
      `UPDATE "webhook_delivery" SET "last_error" = regexp_replace("last_error", '(HTTP \\d{3}):.*$', '\\1')
       WHERE "last_error" ~ 'HTTP \\d{3}:'`,
    );
    const plain: { id: string; secret: string }[] = await queryRunner.query(
      `SELECT "id", "secret" FROM "webhook_endpoint" WHERE "secret" NOT LIKE 'enc1:%'`,
    );
    if (!plain.length) return;
    if (process.env.NODE_ENV === 'production' && !process.env.WEBHOOK_SECRET_KEY)
      throw new Error('WEBHOOK_SECRET_KEY is required to encrypt the webhook secrets in production');
    const key = webhookSecretKey(process.env.WEBHOOK_SECRET_KEY || undefined);
    for (const row of plain)
      await queryRunner.query(`UPDATE "webhook_endpoint" SET "secret" = $2 WHERE "id" = $1`, [
        row.id,
        seal(row.secret, key),
      ]);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_delivery" DROP COLUMN "response_ms"`);
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" DROP COLUMN "previous_secret_expires_at"`);
    await queryRunner.query(`ALTER TABLE "webhook_endpoint" DROP COLUMN "previous_secret"`);
    // Secrets stay encrypted: decrypting them back to plain text is not a step to take by accident.
  }
}

/** The format of `sealWebhookSecret` (webhooks/webhook-secret-box.ts), frozen here as of this migration. */
function seal(secret: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `enc1:${[iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url')).join('.')}`;
}
