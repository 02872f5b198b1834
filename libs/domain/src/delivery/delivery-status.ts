import { BounceReference, MAIL_REFERENCE_HEADER, parseMailReference, parseVerp } from './bounce-reference';

/** One recipient's fields of a delivery status notification (RFC 3464). */
export interface RecipientStatus {
  action: string;
  status: string;
  finalRecipient: string | null;
  diagnostic: string | null;
}

/** What a returned message says: which of our mails (if it can tell) and what happened to whom. */
export interface DeliveryStatusReport {
  /** The references found, VERP address first, then the returned X-Luotsi-Mail header; unverified. */
  references: BounceReference[];
  recipients: RecipientStatus[];
}

interface Entity {
  headers: Map<string, string[]>;
  body: string;
}

/** The headers a bounce is addressed through: the envelope recipient, as MTAs record it. */
const ENVELOPE_HEADERS = ['x-original-to', 'delivered-to', 'envelope-to', 'to'];

/**
 * Reads a returned message: a DSN (`multipart/report; report-type=delivery-status`, possibly inside
 * another multipart) with its `message/delivery-status` part, and the original's headers
 * (`text/rfc822-headers`) or the whole original (`message/rfc822`). A small parser of exactly these
 * parts: general MIME libraries fold the status part into the text and lose its fields.
 */
export function readDeliveryStatus(raw: string): DeliveryStatusReport {
  const message = parseEntity(raw);
  const references: BounceReference[] = [];
  for (const name of ENVELOPE_HEADERS) {
    for (const value of message.headers.get(name) ?? []) {
      const found = parseVerp(value);
      if (found) references.push(found);
    }
  }
  const recipients: RecipientStatus[] = [];
  for (const part of leaves(message)) {
    const type = contentType(part).type;
    if (type === 'message/delivery-status') recipients.push(...statusFields(decoded(part)));
    if (type === 'text/rfc822-headers' || type === 'message/rfc822') {
      const original = parseEntity(decoded(part));
      for (const value of original.headers.get(MAIL_REFERENCE_HEADER.toLowerCase()) ?? []) {
        const found = parseMailReference(value);
        if (found) references.push(found);
      }
      // The original's own envelope sender, as its Return-Path.
      for (const value of original.headers.get('return-path') ?? []) {
        const found = parseVerp(value);
        if (found) references.push(found);
      }
    }
  }
  return { references, recipients };
}

/** The per-recipient groups of a `message/delivery-status` body (the first group is the message's). */
function statusFields(body: string): RecipientStatus[] {
  const groups = body.split(/\r?\n[ \t]*\r?\n/).map((group) => headerMap(group));
  return groups
    .filter((fields) => fields.has('action') && fields.has('status'))
    .map((fields) => ({
      action: first(fields, 'action')!.toLowerCase(),
      status: /\d\.\d{1,3}\.\d{1,3}/.exec(first(fields, 'status')!)?.[0] ?? first(fields, 'status')!,
      finalRecipient: address(first(fields, 'final-recipient') ?? first(fields, 'original-recipient')),
      diagnostic: first(fields, 'diagnostic-code') ?? null,
    }));
}

const first = (fields: Map<string, string[]>, name: string) => fields.get(name)?.[0];

/** `rfc822; someone@example.fi` → `someone@example.fi`. */
function address(field: string | undefined): string | null {
  if (!field) return null;
  const value = field.includes(';') ? field.slice(field.indexOf(';') + 1) : field;
  return value.trim().replace(/^<|>$/g, '').toLowerCase() || null;
}

function parseEntity(text: string): Entity {
  const blank = /\r?\n\r?\n/.exec(text);
  const head = blank ? text.slice(0, blank.index) : text;
  return { headers: headerMap(head), body: blank ? text.slice(blank.index + blank[0].length) : '' };
}

/** Header lines by lower-case name, unfolded. */
function headerMap(block: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    map.set(name, [...(map.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return map;
}

function contentType(entity: Entity): { type: string; boundary?: string } {
  const value = entity.headers.get('content-type')?.[0] ?? 'text/plain';
  const boundary = /;\s*boundary\s*=\s*"?([^";]+)"?/i.exec(value)?.[1];
  return { type: value.split(';')[0].trim().toLowerCase(), boundary };
}

/** The leaf parts of a (nested) multipart entity, depth first; the entity itself when it is not multipart. */
function leaves(entity: Entity, depth = 0): Entity[] {
  const { type, boundary } = contentType(entity);
  if (!type.startsWith('multipart/') || !boundary || depth > 5) return [entity];
  const parts: string[][] = [];
  let current: string[] | null = null;
  for (const line of entity.body.split(/\r?\n/)) {
    if (line.trimEnd() === `--${boundary}--`) break;
    if (line.trimEnd() === `--${boundary}`) parts.push((current = []));
    else current?.push(line);
  }
  return parts.flatMap((lines) => leaves(parseEntity(lines.join('\r\n')), depth + 1));
}

/** A part's body, base64 or quoted-printable decoded where it says so. */
function decoded(entity: Entity): string {
  const encoding = (entity.headers.get('content-transfer-encoding')?.[0] ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(entity.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable')
    return entity.body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return entity.body;
}
