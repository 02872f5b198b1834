import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a bounce names the message it is about: the outbox row's id and a short HMAC of it (16 hex
 * digits, keyed by `AppConfig.mail.bounceKey`), so nobody can mark an arbitrary address bounced. It
 * travels twice in every mail: in the `X-Luotsi-Mail` header (`{id}.{tag}`, which a DSN returns with the
 * message's headers), and, with BOUNCE_DOMAIN set, in the envelope sender
 * (`bounces+{id}-{tag}@{domain}`, VERP), which the bounce is addressed to.
 */
export interface BounceReference {
  outboxId: string;
  tag: string;
}

export const MAIL_REFERENCE_HEADER = 'X-Luotsi-Mail';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const HEADER_VALUE = new RegExp(`^\\s*(${UUID})\\.([0-9a-f]{16})\\s*$`, 'i');
const VERP = new RegExp(`bounces\\+(${UUID})-([0-9a-f]{16})@`, 'i');

export function bounceTag(outboxId: string, key: Buffer): string {
  return createHmac('sha256', key).update(outboxId.toLowerCase()).digest('hex').slice(0, 16);
}

/** The header value of a mail: `{id}.{tag}`. */
export const mailReference = (outboxId: string, key: Buffer): string =>
  `${outboxId}.${bounceTag(outboxId, key)}`;

/** The envelope sender of a mail: `bounces+{id}-{tag}@{domain}`. */
export const verpAddress = (outboxId: string, key: Buffer, domain: string): string =>
  `bounces+${outboxId}-${bounceTag(outboxId, key)}@${domain}`;

/** A reference out of an `X-Luotsi-Mail` value; null when it has not that shape. */
export function parseMailReference(value: string): BounceReference | null {
  const match = HEADER_VALUE.exec(value);
  return match ? { outboxId: match[1].toLowerCase(), tag: match[2].toLowerCase() } : null;
}

/** A reference out of any text holding a VERP address (a To, Delivered-To or X-Original-To header). */
export function parseVerp(text: string): BounceReference | null {
  const match = VERP.exec(text);
  return match ? { outboxId: match[1].toLowerCase(), tag: match[2].toLowerCase() } : null;
}

/** Whether the tag is the one this installation made for the id (constant time). */
export function isGenuine(reference: BounceReference, key: Buffer): boolean {
  const wanted = Buffer.from(bounceTag(reference.outboxId, key));
  const given = Buffer.from(reference.tag.toLowerCase());
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The reason of mail suppressed because its recipient's mail bounced (the outbox store reads it back). */
export const bouncedReason = (reason: string): string => `bounced: ${reason}`.slice(0, 1000);
