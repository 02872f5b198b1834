import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'enc1:';

/**
 * A secret at rest: AES-256-GCM under `key`, a fresh 96-bit IV each time, stored as
 * `enc1:{iv}.{tag}.{ciphertext}` (base64url). A database dump alone does not give it away.
 */
export function sealSecret(secret: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return PREFIX + [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url')).join('.');
}

/** The secret back; throws when the value was not sealed with this key (or was altered). */
export function openSecret(stored: string, key: Buffer): string {
  if (!stored.startsWith(PREFIX)) throw new Error('the secret is not encrypted');
  const [iv, tag, data] = stored
    .slice(PREFIX.length)
    .split('.')
    .map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !data) throw new Error('the secret is malformed');
  // A fixed tag length, so a truncated tag is refused rather than checked on fewer bits.
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}
