/**
 * Why a mail failed, as a category a webhook receiver (or a log line) can act on without the server's
 * own words: a refusal usually quotes the address, sometimes the person's name. Derived from the SMTP
 * reply code and the enhanced status code (RFC 3463) at the head of the reply, never from its text.
 */
export const DELIVERY_FAILURE_REASONS = [
  /** The mailbox does not exist, has moved or is disabled (x.1.1, x.1.6, x.1.10, x.2.1, 550 alone). */
  'mailbox_unavailable',
  /** The mailbox is full (x.2.2, 452, 552 without another enhanced code). */
  'mailbox_full',
  /** The domain or its mail server cannot be found or reached (x.1.2, x.4.4). */
  'domain_unavailable',
  /** Refused by policy: spam filtering, authentication, a block list (x.7.*). */
  'rejected_by_policy',
  /** The mail server refused Luotsi's own credentials (530, 534, 535, 538) through every retry. */
  'sender_not_authenticated',
  /** The message is too large for the receiver (x.3.4). */
  'message_too_large',
  /** Any other permanent refusal (5xx). */
  'rejected',
  /** A temporary refusal (4xx) that lasted through every retry. */
  'temporarily_unavailable',
  /** No SMTP answer at all through every retry: no connection, a timeout, TLS trouble. */
  'connection_failed',
  /** The message could not be rendered from its template. */
  'template_error',
  /** Anything else. */
  'unknown',
] as const;
export type DeliveryFailureReason = (typeof DELIVERY_FAILURE_REASONS)[number];

export interface DeliveryFailure {
  reason: DeliveryFailureReason;
  /** The SMTP reply code (e.g. 550); null when the server never answered. */
  smtpCode: number | null;
  /** The enhanced status code (e.g. "5.1.1"); null when the reply had none. */
  enhancedStatus: string | null;
}

/** How the outbox records a final failure: an optional "gave up after n attempts: " before the cause. */
const GAVE_UP = /^gave up after \d+ attempts?:\s*/i;
/** A reply as nodemailer reports it: the code, then (optionally) the enhanced status code. */
const REPLY = /^([2-5]\d\d)(?:[ -]+([2-5])\.(\d{1,3})\.(\d{1,3})\b)?/;
/** A failure without a reply: a Node error code (ECONNREFUSED, ETIMEDOUT, ESOCKET, …) or none. */
const NO_REPLY = /^(?:E[A-Z]+|ERROR):/;

/**
 * Classifies a failure from the outbox's record of it (`last_error`). Only the leading code and status
 * are read; the rest of the text is never copied into the result.
 */
export function classifyDeliveryFailure(lastError: string | null | undefined): DeliveryFailure {
  const text = (lastError ?? '').trim().replace(GAVE_UP, '');
  if (/^template error\b/i.test(text))
    return { reason: 'template_error', smtpCode: null, enhancedStatus: null };
  const reply = REPLY.exec(text);
  if (!reply) {
    const reason = NO_REPLY.test(text) ? 'connection_failed' : 'unknown';
    return { reason, smtpCode: null, enhancedStatus: null };
  }
  const smtpCode = Number(reply[1]);
  const [klass, subject, detail] = reply[2] ? [reply[2], Number(reply[3]), Number(reply[4])] : [];
  const enhancedStatus = reply[2] ? `${klass}.${subject}.${detail}` : null;
  return { reason: reasonOf(smtpCode, subject, detail), smtpCode, enhancedStatus };
}

function reasonOf(code: number, subject?: number, detail?: number): DeliveryFailureReason {
  if ([530, 534, 535, 538].includes(code)) return 'sender_not_authenticated';
  if (code >= 400 && code < 500)
    return code === 452 || (subject === 2 && detail === 2) ? 'mailbox_full' : 'temporarily_unavailable';
  if (subject !== undefined && detail !== undefined) {
    if (subject === 1 && [1, 6, 10].includes(detail)) return 'mailbox_unavailable';
    if (subject === 1 && detail === 2) return 'domain_unavailable';
    if (subject === 2 && detail === 1) return 'mailbox_unavailable';
    if (subject === 2 && detail === 2) return 'mailbox_full';
    if (subject === 3 && detail === 4) return 'message_too_large';
    if (subject === 4 && detail === 4) return 'domain_unavailable';
    if (subject === 7) return 'rejected_by_policy';
  }
  if (code === 550 || code === 551 || code === 553) return 'mailbox_unavailable';
  if (code === 552) return 'mailbox_full';
  if (code >= 500) return 'rejected';
  return 'unknown';
}

/** A final failure for a job's failure reason or a log line: category and codes, no server text. */
export function describeDeliveryFailure(failure: DeliveryFailure): string {
  const codes = [failure.smtpCode, failure.enhancedStatus].filter((c) => c !== null).join(' ');
  return codes ? `${failure.reason} (SMTP ${codes})` : failure.reason;
}
