/**
 * A pragmatic address check: one @, a dotted domain, no spaces or control characters, RFC 5321 lengths.
 * Deliverability is the mail server's to judge; this catches typos and pasted junk.
 */
const EMAIL =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  /^[^\s@<>()[\]\\,;:"\x00-\x1f]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

export function isEmail(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  return at > 0 && at <= 64 && EMAIL.test(value);
}
