import { randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { openSecret } from '../common/secret-box';
import { hashToken } from '../common/tokens';

/** How far a code's clock may be from ours, in seconds: one 30-second step either way. */
export const TOTP_TOLERANCE_S = 30;

/** Recovery codes made when the second factor is turned on; each works once. */
export const RECOVERY_CODES = 10;

/** A new TOTP secret: 20 random bytes (160 bits), base32, as authenticator apps take it. */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The `otpauth://totp/…` URI an authenticator app reads (from the QR code, or typed). */
export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: 'Luotsi', label: account, secret });
}

/**
 * The time step of `code` if it is the secret's code now (or one step either side), else null. Only
 * six digits are ever compared.
 */
export async function totpStep(secret: string | null, code: string, now: Date): Promise<number | null> {
  if (secret === null || !/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOTP_TOLERANCE_S,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/**
 * A sealed TOTP secret opened, or null when it cannot be (sealed under another key: WEBHOOK_SECRET_KEY
 * was replaced). Its codes then never match; recovery codes still work.
 */
export function openSealedTotp(sealed: string, key: Buffer): string | null {
  try {
    return openSecret(sealed, key);
  } catch {
    return null;
  }
}

/** Letters and digits that cannot be mistaken for one another (no 0/o, 1/l): 32 of them, 5 bits each. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A recovery code: 16 characters (80 random bits), in groups of four. */
export function newRecoveryCode(): string {
  const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** A recovery code as typed (any case, with or without spaces and dashes) in the form that is hashed. */
export function normalRecoveryCode(typed: string): string {
  return typed.toLowerCase().replace(/[\s-]/g, '');
}

/** The digest a recovery code is stored as (SHA-256; 80 random bits need no slow hash). */
export function recoveryCodeHash(typed: string): Buffer {
  return hashToken(`lrc_${normalRecoveryCode(typed)}`);
}
