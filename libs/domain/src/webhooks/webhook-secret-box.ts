import { openSecret, sealSecret } from '../common/secret-box';

/**
 * Endpoint secrets at rest: AES-256-GCM under the configured key (`WEBHOOK_SECRET_KEY`), a fresh 96-bit
 * IV each time, stored as `enc1:{iv}.{tag}.{ciphertext}` (base64url). A database dump alone cannot sign.
 */
export function sealWebhookSecret(secret: string, key: Buffer): string {
  return sealSecret(secret, key);
}

/** The secret back; throws when the value was not sealed with this key (or was altered). */
export function openWebhookSecret(stored: string, key: Buffer): string {
  return openSecret(stored, key);
}
