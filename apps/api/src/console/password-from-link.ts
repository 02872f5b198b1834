import { HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { AuthService, InvalidInputError, PasswordWorkBusyError, type SignedIn } from '@luotsi/domain';
import { textsFor } from '@luotsi/texts';
import { ResetPasswordDto } from '../auth/auth.dto';
import { SignInLimits } from '../auth/sign-in-limits';
import { ConsolePages } from './console-pages';
import { checkForm } from './form';
import { languageOf, type ConsoleRequest } from './page-context';
import { continueSignIn } from './signed-in';

/** One "set a password from a mailed link" page: a password reset, or an accepted invitation. */
export interface PasswordLink {
  /** The view with the form (`unknown` shows the page for a dead link instead). */
  view: string;
  titleKey: string;
  /** The text key of the password field's label. */
  passwordLabelKey: string;
  /** Where the form posts: the link's own path. */
  action: string;
  /** Sets the password with the link's token (single use): a session, or the ask for a second factor. */
  use(token: string, password: string): Promise<SignedIn>;
  /** What follows once signed in, before the redirect (e.g. remembering the console's language). */
  signedIn?(token: SignedIn): Promise<void>;
}

/**
 * The console's form behind a mailed link that sets a password and signs in: the field checked (422),
 * an unknown, used or expired link (404), the per-address limit and a full password queue (429), then
 * a fresh session (or the second factor's code) and on to `/app`. Shared by the reset link and the
 * invitation, so both answer alike.
 */
export async function setPasswordFromLink(
  deps: { pages: ConsolePages; auth: AuthService; limits: SignInLimits },
  request: ConsoleRequest,
  response: Response,
  token: string,
  body: Record<string, unknown>,
  link: PasswordLink,
): Promise<void> {
  const language = languageOf(request);
  const t = textsFor(language);
  const again = (data: Record<string, unknown>, status: number) =>
    deps.pages.send(request, response, link.view, link.titleKey, { action: link.action, ...data }, status);
  const labels = { password: t(link.passwordLabelKey) };
  const form = await checkForm(ResetPasswordDto, { token, password: body.password }, language, labels);
  if (!form.value) {
    const unknown = form.errors.some((error) => error.field === 'token');
    return again(unknown ? { unknown } : { errors: form.errors }, unknown ? 404 : 422);
  }
  try {
    await deps.limits.beforeSignUp(request.ip ?? '', response);
    const signedIn = await link.use(form.value.token, form.value.password);
    await link.signedIn?.(signedIn);
    await continueSignIn(deps.auth, deps.pages, request, response, signedIn, '/app');
  } catch (error) {
    if (error instanceof InvalidInputError) return again({ unknown: true }, 404);
    const busy =
      error instanceof PasswordWorkBusyError
        ? error.retryAfterSeconds
        : error instanceof HttpException && error.getStatus() === HttpStatus.TOO_MANY_REQUESTS
          ? Number(response.getHeader('Retry-After') ?? 60)
          : null;
    if (busy !== null)
      return again({ errors: [{ field: '', message: t('console:signIn.tooMany', { seconds: busy }) }] }, 429);
    throw error;
  }
}
