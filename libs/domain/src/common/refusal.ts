import type { Locale } from '@luotsi/database';

/**
 * Why a link is no longer good: its run closed, it expired, it was withdrawn, or the one answer it
 * takes is in (an anonymous answer cannot be shown again).
 */
export type GoneReason = 'closed' | 'expired' | 'revoked' | 'answered';

/**
 * Why a link that is its own credential (a retrospective's, a check-in's, an unsubscribe link, a shared
 * report) opens nothing: one vocabulary for every such token. `unknown` says nothing of whether the
 * link ever existed.
 */
export type Refusal = { kind: 'unknown' } | { kind: 'used' } | { kind: 'gone'; reason: GoneReason };

/** A refused link, with the language of the person it names where it names one. */
export interface Refused {
  status: 'refused';
  refusal: Refusal;
  locale?: Locale;
}

export const refused = (refusal: Refusal, locale?: Locale): Refused =>
  locale ? { status: 'refused', refusal, locale } : { status: 'refused', refusal };

export const unknownLink = (): Refused => refused({ kind: 'unknown' });
