import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AuthService,
  InvalidInputError,
  PasswordWorkBusyError,
  WorkspaceService,
  type IssuedToken,
} from '@luotsi/domain';
import { textsFor } from '@luotsi/texts';
import { Public } from '../common/auth';
import { ChangePasswordDto, EmailOnlyDto, ResetPasswordDto } from '../auth/auth.dto';
import { SignInLimits } from '../auth/sign-in-limits';
import { ConsolePages } from './console-pages';
import { checkForm, fieldErrorsOf, str, type FieldError } from './form';
import { languageOf, type ConsoleRequest } from './page-context';
import { clearSessionCookie, sessionToken, setSessionCookie } from './session';

type Form = Record<string, unknown>;

/**
 * The account's own pages: "check your mail", the sign-up address's confirmation, a forgotten password
 * and its reset, and the signed-in member's account (password change, sign out everywhere). The same
 * services and limits as the API's `auth` routes; a session cookie instead of a token in the answer.
 */
@ApiExcludeController()
@Controller('app')
export class AccountController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly auth: AuthService,
    private readonly workspaces: WorkspaceService,
    private readonly limits: SignInLimits,
  ) {}

  @Public()
  @Get('check-mail')
  checkMail(@Req() request: ConsoleRequest, @Res() response: Response) {
    this.pages.send(request, response, 'check-mail', 'console:account.checkMail.title');
  }

  /** The mailed link opens a page with a button, so a mail scanner's visit neither confirms nor signs in. */
  @Public()
  @Get('confirm/:token')
  confirmPage(@Param('token') token: string, @Req() request: ConsoleRequest, @Res() response: Response) {
    this.pages.send(request, response, 'confirm', 'console:account.confirm.title', {
      action: `/app/confirm/${encodeURIComponent(token)}`,
    });
  }

  @Public()
  @Post('confirm/:token')
  async confirm(@Param('token') token: string, @Req() request: ConsoleRequest, @Res() response: Response) {
    try {
      await this.limits.beforeSignUp(request.ip ?? '', response);
      const { token: issued } = await this.workspaces.confirm(token);
      await this.startSession(request, response, issued);
      this.pages.redirect(response, '/app');
    } catch (error) {
      if (error instanceof InvalidInputError)
        return this.pages.send(
          request,
          response,
          'confirm',
          'console:account.confirm.title',
          { unknown: true },
          404,
        );
      throw error;
    }
  }

  @Public()
  @Get('password/forgot')
  forgotPage(@Req() request: ConsoleRequest, @Res() response: Response) {
    this.pages.send(request, response, 'password-forgot', 'console:account.forgot.title');
  }

  @Public()
  @Post('password/forgot')
  async forgot(@Body() body: Form, @Req() request: ConsoleRequest, @Res() response: Response) {
    const language = languageOf(request);
    const t = textsFor(language);
    const labels = { email: t('console:account.forgot.email') };
    const form = await checkForm(EmailOnlyDto, { email: str(body.email).trim() }, language, labels);
    if (!form.value)
      return this.pages.send(
        request,
        response,
        'password-forgot',
        'console:account.forgot.title',
        { errors: form.errors, values: { email: str(body.email) } },
        422,
      );
    await this.limits.beforeSignUp(request.ip ?? '', response);
    await this.auth.requestPasswordReset(form.value.email, language);
    this.pages.redirect(response, '/app/check-mail');
  }

  @Public()
  @Get('password/reset/:token')
  resetPage(@Param('token') token: string, @Req() request: ConsoleRequest, @Res() response: Response) {
    this.pages.send(request, response, 'password-reset', 'console:account.reset.title', {
      action: `/app/password/reset/${encodeURIComponent(token)}`,
    });
  }

  @Public()
  @Post('password/reset/:token')
  async reset(
    @Param('token') token: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const language = languageOf(request);
    const t = textsFor(language);
    const labels = { password: t('console:account.reset.password') };
    const again = (data: Record<string, unknown>, status: number) =>
      this.pages.send(
        request,
        response,
        'password-reset',
        'console:account.reset.title',
        { action: `/app/password/reset/${encodeURIComponent(token)}`, ...data },
        status,
      );
    const form = await checkForm(ResetPasswordDto, { token, password: body.password }, language, labels);
    if (!form.value) {
      const unknown = form.errors.some((error) => error.field === 'token');
      return again(unknown ? { unknown } : { errors: form.errors }, unknown ? 404 : 422);
    }
    try {
      await this.limits.beforeSignUp(request.ip ?? '', response);
      const issued = await this.auth.resetPassword(form.value.token, form.value.password);
      await this.startSession(request, response, issued);
      this.pages.redirect(response, '/app');
    } catch (error) {
      if (error instanceof InvalidInputError) return again({ unknown: true }, 404);
      throw error;
    }
  }

  @Get('account')
  async accountPage(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Query('changed') changed?: string,
    @Query('resent') resent?: string,
  ) {
    await this.sendAccount(request, response, { changed: changed === '1', resent: resent === '1' });
  }

  @Post('account/password')
  async changePassword(@Body() body: Form, @Req() request: ConsoleRequest, @Res() response: Response) {
    const language = languageOf(request);
    const t = textsFor(language);
    const labels = {
      currentPassword: t('console:account.page.current'),
      newPassword: t('console:account.page.new'),
    };
    const fields = { currentPassword: body.currentPassword, newPassword: body.newPassword };
    const form = await checkForm(ChangePasswordDto, fields, language, labels);
    if (!form.value) return this.sendAccount(request, response, { errors: form.errors }, 422);
    const actor = request.actor!;
    const email = request.member!.email;
    try {
      await this.limits.beforeSignIn(request.ip ?? '', email, response);
      await this.auth.changePassword(
        actor,
        sessionToken(request)!,
        form.value.currentPassword,
        form.value.newPassword,
      );
      this.pages.redirect(response, '/app/account?changed=1');
    } catch (error) {
      if (error instanceof InvalidInputError) {
        await this.limits.failedSignIn(email);
        const errors: FieldError[] = fieldErrorsOf(error, labels).map((e) =>
          e.field === 'currentPassword' ? { ...e, message: t('console:account.page.wrong') } : e,
        );
        return this.sendAccount(request, response, { errors }, 422);
      }
      if (error instanceof PasswordWorkBusyError) {
        const message = t('console:signIn.tooMany', { seconds: error.retryAfterSeconds });
        return this.sendAccount(request, response, { errors: [{ field: '', message }] }, 429);
      }
      throw error;
    }
  }

  @Post('account/sign-out-everywhere')
  async signOutEverywhere(@Req() request: ConsoleRequest, @Res() response: Response) {
    await this.auth.signOutEverywhere(request.actor!);
    clearSessionCookie(response, this.pages.secure);
    this.pages.redirect(response, '/app/sign-in?signedOut=1');
  }

  @Post('account/confirmation')
  async resendConfirmation(@Req() request: ConsoleRequest, @Res() response: Response) {
    await this.limits.beforeSignUp(request.ip ?? '', response);
    await this.workspaces.resendConfirmation(request.member!.email, languageOf(request));
    this.pages.redirect(response, '/app/account?resent=1');
  }

  private async sendAccount(
    request: ConsoleRequest,
    response: Response,
    data: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const me = await this.auth.me(request.actor!);
    this.pages.send(
      request,
      response,
      'account',
      'console:account.page.title',
      { ...data, mailHeld: me.mailHeld && me.role === 'owner' },
      status,
    );
  }

  /** A fresh token; the one the browser held before is revoked (no session fixation). */
  private async startSession(request: ConsoleRequest, response: Response, token: IssuedToken): Promise<void> {
    const previous = sessionToken(request);
    if (previous) await this.auth.logout(previous);
    setSessionCookie(response, token.accessToken, token.expiresAt, this.pages.secure);
  }
}
