import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer and single-use tokens: 256 bits from the CSPRNG, base64url, with a short readable prefix.
 * Only the SHA-256 digest is stored; a slow hash is not needed for 256 random bits.
 */
export function newToken(prefix: string): { token: string; hash: Buffer } {
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
