import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse, serialize, type CookieSerializeOptions } from 'cookie';
import type { Request, Response } from 'express';

/**
 * The console's session: an HttpOnly cookie carrying the same access token the API's bearer header
 * carries (stored only as its digest), scoped to /app so the JSON API never reads it.
 */
export const SESSION_COOKIE = 'luotsi_session';
/** A random value that binds the CSRF token of forms shown before sign-in (sign-in, sign-up, invitation). */
export const FORM_COOKIE = 'luotsi_form';
/** A sign-in waiting for its second factor: the single-use challenge, for a few minutes. */
export const CHALLENGE_COOKIE = 'luotsi_challenge';
/** The language chosen before sign-in; after, it is remembered on the member. */
export const LANGUAGE_COOKIE = 'luotsi_lang';

export const CONSOLE_PATH = /^\/app(\/|$)/;
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export const cookiesOf = (request: Request): Record<string, string | undefined> =>
  parse(request.headers.cookie ?? '');

export const sessionToken = (request: Request): string | null => cookiesOf(request)[SESSION_COOKIE] ?? null;

const cookieOptions = (secure: boolean): CookieSerializeOptions => ({
  httpOnly: true,
  sameSite: 'lax',
  secure,
  path: '/app',
});

function appendCookie(response: Response, cookie: string): void {
  const existing = response.getHeader('Set-Cookie');
  const list = Array.isArray(existing) ? existing : existing ? [String(existing)] : [];
  response.setHeader('Set-Cookie', [...list, cookie]);
}

export function setSessionCookie(response: Response, token: string, expires: Date, secure: boolean): void {
  appendCookie(response, serialize(SESSION_COOKIE, token, { ...cookieOptions(secure), expires }));
}

export function clearSessionCookie(response: Response, secure: boolean): void {
  appendCookie(response, serialize(SESSION_COOKIE, '', { ...cookieOptions(secure), expires: new Date(0) }));
}

export const challengeToken = (request: Request): string | null =>
  cookiesOf(request)[CHALLENGE_COOKIE] ?? null;

export function setChallengeCookie(response: Response, token: string, expires: Date, secure: boolean): void {
  appendCookie(response, serialize(CHALLENGE_COOKIE, token, { ...cookieOptions(secure), expires }));
}

export function clearChallengeCookie(response: Response, secure: boolean): void {
  appendCookie(response, serialize(CHALLENGE_COOKIE, '', { ...cookieOptions(secure), expires: new Date(0) }));
}

export function setLanguageCookie(response: Response, language: string, secure: boolean): void {
  appendCookie(
    response,
    serialize(LANGUAGE_COOKIE, language, { ...cookieOptions(secure), maxAge: 365 * 24 * 3600 }),
  );
}

/**
 * The value a form's CSRF token is derived from: the session token when signed in, else the pre-session
 * form cookie (created here when missing). Either is a secret the browser holds in an HttpOnly cookie
 * that another site can neither read nor set.
 */
export function csrfBinding(request: Request, response: Response | null, secure: boolean): string | null {
  const cookies = cookiesOf(request);
  const session = cookies[SESSION_COOKIE];
  if (session) return session;
  const form = cookies[FORM_COOKIE];
  if (form) return form;
  if (!response) return null;
  const fresh = randomBytes(32).toString('base64url');
  appendCookie(response, serialize(FORM_COOKIE, fresh, cookieOptions(secure)));
  // Later code in the same request sees it as if the browser had sent it.
  request.headers.cookie = `${request.headers.cookie ? `${request.headers.cookie}; ` : ''}${FORM_COOKIE}=${fresh}`;
  return fresh;
}

/** A synchroniser token derived from the binding secret (OWASP's HMAC-based token pattern, keyed by it). */
export const csrfTokenFor = (binding: string): string =>
  createHash('sha256').update(`luotsi-csrf:${binding}`).digest('base64url');

/** Whether the request carries the token of its binding, from the form field or the htmx header. */
export function hasValidCsrfToken(request: Request): boolean {
  const binding = csrfBinding(request, null, false);
  if (!binding) return false;
  const body = request.body as Record<string, unknown> | undefined;
  const sent =
    (body && typeof body[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : undefined) ?? request.get(CSRF_HEADER);
  if (typeof sent !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(binding));
  const actual = Buffer.from(sent);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** An unsafe request from another site: its Origin (or, without one, its Referer) names another host. */
export function isCrossOrigin(request: Request): boolean {
  const own = `${request.protocol}://${request.get('host')}`;
  const origin = request.get('origin');
  if (origin) return origin !== own;
  const referer = request.get('referer');
  if (referer) {
    try {
      return new URL(referer).origin !== own;
    } catch {
      return true;
    }
  }
  return false;
}

/** Where to go after signing in: only a path of the console itself, never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/app(\/[\w\-./?=&%]*)?$/.test(next) && !next.startsWith('//')
    ? next
    : '/app';
}
