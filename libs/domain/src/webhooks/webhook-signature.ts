import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How a receiver tells a delivery from a forgery: `t={unix seconds},v1={hex HMAC-SHA256 of "{t}.{body}"}`. */
export const SIGNATURE_HEADER = 'Luotsi-Signature';
export const EVENT_HEADER = 'Luotsi-Event';
export const DELIVERY_HEADER = 'Luotsi-Delivery';

/** Five minutes either way: older signatures are refused, so a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signatureDigest(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function signWebhook(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${signatureDigest(secret, timestamp, body)}`;
}

/**
 * What a receiver does with the raw body (before any JSON parsing) and the header: recompute the
 * digest, compare in constant time, and refuse a timestamp outside the tolerance.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | undefined,
  options: { now?: number; toleranceSeconds?: number } = {},
): boolean {
  if (!header) return false;
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key && value) parts.set(key, [...(parts.get(key) ?? []), value]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(timestamp)) return false;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signatureDigest(secret, timestamp, body), 'hex');
  // Several v1 values may stand side by side while a secret is being rotated.
  return (parts.get('v1') ?? []).some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
