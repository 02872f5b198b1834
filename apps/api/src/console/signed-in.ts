import type { Response } from 'express';
import { AuthService, needsSecondFactor, type SignedIn } from '@luotsi/domain';
import type { ConsolePages } from './console-pages';
import type { ConsoleRequest } from './page-context';
import { clearSessionCookie, safeNext, sessionToken, setChallengeCookie, setSessionCookie } from './session';

/**
 * What follows a right password (or a confirmation or reset link) in the console: a fresh session (the
 * token the browser held before is revoked: no session fixation) and on to `next`; or, with the
 * second factor on, the challenge in a short-lived cookie and on to the code's page.
 */
export async function continueSignIn(
  auth: AuthService,
  pages: ConsolePages,
  request: ConsoleRequest,
  response: Response,
  signedIn: SignedIn,
  next: unknown,
): Promise<void> {
  const previous = sessionToken(request);
  if (previous) await auth.logout(previous);
  if (needsSecondFactor(signedIn)) {
    if (previous) clearSessionCookie(response, pages.secure);
    setChallengeCookie(response, signedIn.challengeToken, signedIn.expiresAt, pages.secure);
    return pages.redirect(response, `/app/sign-in/code?next=${encodeURIComponent(safeNext(next))}`);
  }
  setSessionCookie(response, signedIn.accessToken, signedIn.expiresAt, pages.secure);
  pages.redirect(response, safeNext(next));
}
