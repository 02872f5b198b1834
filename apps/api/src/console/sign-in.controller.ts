import {
  Body,
  Controller,
  Get,
  HttpException,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AuthService,
  InvalidInputError,
  needsSecondFactor,
  PasswordWorkBusyError,
  UnauthenticatedError,
  WorkspaceService,
} from '@luotsi/domain';
import { isLanguage, textsFor } from '@luotsi/texts';
import { Public } from '../common/auth';
import { LoginDto, SignUpDto } from '../auth/auth.dto';
import { SignInLimits } from '../auth/sign-in-limits';
import { ConsolePages } from './console-pages';
import { checkForm, fieldErrorsOf, type FieldError } from './form';
import { languageOf, type ConsoleRequest } from './page-context';
import {
  challengeToken,
  clearChallengeCookie,
  clearSessionCookie,
  safeNext,
  sessionToken,
  setLanguageCookie,
} from './session';
import { continueSignIn } from './signed-in';
import { setPasswordFromLink } from './password-from-link';

type Form = Record<string, unknown>;

/** Seconds to wait, from a 429 the sign-in limits raised (they set Retry-After). */
const retryAfter = (response: Response): number => Number(response.getHeader('Retry-After') ?? 60);
const isTooMany = (error: unknown) =>
  error instanceof PasswordWorkBusyError ||
  (error instanceof HttpException && error.getStatus() === HttpStatus.TOO_MANY_REQUESTS);

/**
 * Signing up, in and out, accepting an invitation and choosing a language: the console's public door.
 * The same services and limits as the API's; a session cookie instead of a token in the answer.
 */
@ApiExcludeController()
@Controller('app')
export class SignInController {
  constructor(
    readonly pages: ConsolePages,
    readonly auth: AuthService,
    private readonly workspaces: WorkspaceService,
    readonly limits: SignInLimits,
  ) {}

  @Public()
  @Get('sign-in')
  signInPage(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Query('next') next?: string,
    @Query('signedOut') signedOut?: string,
  ) {
    if (request.member) return this.pages.redirect(response, safeNext(next));
    this.pages.send(request, response, 'sign-in', 'console:signIn.title', {
      next: safeNext(next),
      signedOut: signedOut === '1',
    });
  }

  @Public()
  @Post('sign-in')
  async signIn(@Body() body: Form, @Req() request: ConsoleRequest, @Res() response: Response) {
    const language = languageOf(request);
    const t = textsFor(language);
    const values = { email: typeof body.email === 'string' ? body.email : '' };
    const again = (errors: FieldError[], status: number) =>
      this.pages.send(
        request,
        response,
        'sign-in',
        'console:signIn.title',
        {
          errors,
          values,
          next: safeNext(body.next),
        },
        status,
      );
    const form = await checkForm(LoginDto, { email: body.email, password: body.password }, language, {
      email: t('console:signIn.email'),
      password: t('console:signIn.password'),
    });
    if (!form.value) return again(form.errors, 422);
    const ip = request.ip ?? '';
    try {
      await this.limits.beforeSignIn(ip, form.value.email, response);
      const signedIn = await this.auth.login(form.value.email, form.value.password);
      // With a second factor the sign-in is not over: the account's failures stand until the code is right.
      if (!needsSecondFactor(signedIn)) await this.limits.succeededSignIn(ip, form.value.email);
      await continueSignIn(this.auth, this.pages, request, response, signedIn, body.next);
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        await this.limits.failedSignIn(form.value.email);
        return again([{ field: 'email', message: t('console:signIn.failed') }], 401);
      }
      if (isTooMany(error))
        return again(
          [{ field: '', message: t('console:signIn.tooMany', { seconds: retryAfter(response) }) }],
          429,
        );
      throw error;
    }
  }

  /** The second step of a sign-in: the authenticator's code, or a recovery code. */
  @Public()
  @Get('sign-in/code')
  codePage(@Req() request: ConsoleRequest, @Res() response: Response, @Query('next') next?: string) {
    if (!challengeToken(request)) return this.pages.redirect(response, '/app/sign-in');
    this.pages.send(request, response, 'sign-in-code', 'console:signInCode.title', { next: safeNext(next) });
  }

  @Public()
  @Post('sign-in/code')
  async signInCode(@Body() body: Form, @Req() request: ConsoleRequest, @Res() response: Response) {
    const t = textsFor(languageOf(request));
    const next = safeNext(body.next);
    const again = (message: string, status: number) =>
      this.pages.send(
        request,
        response,
        'sign-in-code',
        'console:signInCode.title',
        { errors: [{ field: status === 429 ? '' : 'code', message }], next },
        status,
      );
    const challenge = challengeToken(request);
    const expired = () => {
      clearChallengeCookie(response, this.pages.secure);
      return this.pages.send(
        request,
        response,
        'sign-in',
        'console:signIn.title',
        { errors: [{ field: '', message: t('console:signInCode.expired') }], next },
        401,
      );
    };
    if (!challenge) return expired();
    let email: string;
    try {
      ({ email } = await this.auth.challengedMember(challenge));
    } catch (error) {
      if (error instanceof UnauthenticatedError) return expired();
      throw error;
    }
    const ip = request.ip ?? '';
    try {
      await this.limits.beforeSignIn(ip, email, response);
      const issued = await this.auth.completeSignIn(
        challenge,
        typeof body.code === 'string' ? body.code : '',
      );
      await this.limits.succeededSignIn(ip, email);
      clearChallengeCookie(response, this.pages.secure);
      await continueSignIn(this.auth, this.pages, request, response, issued, next);
    } catch (error) {
      if (error instanceof UnauthenticatedError) {
        // A wrong code counts as a failed sign-in of the account, like a wrong password.
        await this.limits.failedSignIn(email);
        return again(t('console:signInCode.wrong'), 401);
      }
      if (isTooMany(error)) return again(t('console:signIn.tooMany', { seconds: retryAfter(response) }), 429);
      throw error;
    }
  }

  @Public()
  @Get('sign-up')
  signUpPage(@Req() request: ConsoleRequest, @Res() response: Response) {
    if (request.member) return this.pages.redirect(response, '/app');
    this.pages.send(request, response, 'sign-up', 'console:signUp.title');
  }

  @Public()
  @Post('sign-up')
  async signUp(@Body() body: Form, @Req() request: ConsoleRequest, @Res() response: Response) {
    const language = languageOf(request);
    const t = textsFor(language);
    const fields = {
      workspaceName: body.workspaceName,
      name: body.name,
      email: body.email,
      password: body.password,
    };
    const labels = {
      workspaceName: t('console:signUp.workspaceName'),
      name: t('console:signUp.name'),
      email: t('console:signUp.email'),
      password: t('console:signUp.password'),
    };
    const values = { workspaceName: fields.workspaceName, name: fields.name, email: fields.email };
    const again = (errors: FieldError[], status: number) =>
      this.pages.send(request, response, 'sign-up', 'console:signUp.title', { errors, values }, status);
    const form = await checkForm(SignUpDto, fields, language, labels);
    if (!form.value) return again(form.errors, 422);
    try {
      await this.limits.beforeSignUp(request.ip ?? '', response);
      // The same page follows for a new address and one with an account (which gets a notice instead).
      await this.workspaces.signUp({ ...form.value, locale: language });
      this.pages.redirect(response, '/app/check-mail');
    } catch (error) {
      if (error instanceof InvalidInputError) return again(fieldErrorsOf(error, labels), 422);
      if (isTooMany(error))
        return again(
          [{ field: '', message: t('console:signIn.tooMany', { seconds: retryAfter(response) }) }],
          429,
        );
      throw error;
    }
  }

  @Public()
  @Get('invitations/:token')
  invitationPage(@Param('token') token: string, @Req() request: ConsoleRequest, @Res() response: Response) {
    this.pages.send(request, response, 'invitation', 'console:invitation.title', {
      action: `/app/invitations/${encodeURIComponent(token)}`,
    });
  }

  @Public()
  @Post('invitations/:token')
  async acceptInvitation(
    @Param('token') token: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    await setPasswordFromLink(this, request, response, token, body, {
      view: 'invitation',
      titleKey: 'console:invitation.title',
      passwordLabelKey: 'console:invitation.password',
      action: `/app/invitations/${encodeURIComponent(token)}`,
      use: (checked, password) => this.auth.acceptInvitation(checked, password),
      // The new member's console speaks the language the invitation was accepted in.
      signedIn: async (issued) => {
        if (needsSecondFactor(issued)) return;
        const { actor } = await this.auth.authenticate(issued.accessToken);
        await this.auth.setLanguage(actor, languageOf(request));
      },
    });
  }

  /** Sign out: the session's token is revoked, not only forgotten by the browser. */
  @Public()
  @Post('sign-out')
  async signOut(@Req() request: ConsoleRequest, @Res() response: Response) {
    const token = sessionToken(request);
    if (token) await this.auth.logout(token);
    clearSessionCookie(response, this.pages.secure);
    this.pages.redirect(response, '/app/sign-in?signedOut=1');
  }

  /** The language of the console: remembered on the member when signed in, in a cookie before. */
  @Public()
  @Post('language')
  async language(@Body() body: Form, @Req() request: ConsoleRequest, @Res() response: Response) {
    const locale = body.locale;
    if (!isLanguage(locale))
      throw new InvalidInputError('Unknown language.', [{ field: 'locale', reason: 'must be fi, sv or en' }]);
    setLanguageCookie(response, locale, this.pages.secure);
    if (request.actor) await this.auth.setLanguage(request.actor, locale);
    this.pages.redirect(response, safeNext(body.next));
  }
}
