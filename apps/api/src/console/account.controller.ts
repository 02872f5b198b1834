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
import * as QRCode from 'qrcode';
import {
  AuthService,
  InvalidInputError,
  PasswordWorkBusyError,
  SecondFactorService,
  WorkspaceService,
  type SecondFactorEnrolment,
} from '@luotsi/domain';
import { textsFor } from '@luotsi/texts';
import { Public } from '../common/auth';
import { ChangePasswordDto, EmailOnlyDto } from '../auth/auth.dto';
import { SignInLimits } from '../auth/sign-in-limits';
import { ConsolePages } from './console-pages';
import { checkForm, fieldErrorsOf, str, type FieldError } from './form';
import { languageOf, type ConsoleRequest } from './page-context';
import { clearSessionCookie, sessionToken } from './session';
import { continueSignIn } from './signed-in';
import { setPasswordFromLink } from './password-from-link';

/** Seconds to wait, from a 429 the sign-in limits raised (they set Retry-After). */
const retryAfterOf = (response: Response): number => Number(response.getHeader('Retry-After') ?? 60);
const isTooMany = (error: unknown) =>
  error instanceof PasswordWorkBusyError ||
  (error instanceof HttpException && error.getStatus() === HttpStatus.TOO_MANY_REQUESTS);

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
    readonly pages: ConsolePages,
    readonly auth: AuthService,
    private readonly workspaces: WorkspaceService,
    readonly limits: SignInLimits,
    private readonly secondFactor: SecondFactorService,
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
      const { token: signedIn } = await this.workspaces.confirm(token);
      await continueSignIn(this.auth, this.pages, request, response, signedIn, '/app');
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
    await setPasswordFromLink(this, request, response, token, body, {
      view: 'password-reset',
      titleKey: 'console:account.reset.title',
      passwordLabelKey: 'console:account.reset.password',
      action: `/app/password/reset/${encodeURIComponent(token)}`,
      use: (checked, password) => this.auth.resetPassword(checked, password),
    });
  }

  @Get('account')
  async accountPage(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Query('changed') changed?: string,
    @Query('resent') resent?: string,
    @Query('secondFactorOff') secondFactorOff?: string,
  ) {
    await this.sendAccount(request, response, {
      changed: changed === '1',
      resent: resent === '1',
      secondFactorOff: secondFactorOff === '1',
    });
  }

  /** Starts setting up the second factor (owners): a new secret, as a QR code and as text. */
  @Post('account/second-factor')
  async beginSecondFactor(@Req() request: ConsoleRequest, @Res() response: Response) {
    const enrolment = await this.secondFactor.beginEnrolment(request.actor!);
    await this.sendEnrolment(request, response, enrolment, {});
  }

  /** The secret being set up, shown again (after a language switch, say); else the account page. */
  @Get('account/second-factor')
  async secondFactorPage(@Req() request: ConsoleRequest, @Res() response: Response) {
    const pending = await this.secondFactor.pendingEnrolment(request.actor!);
    if (!pending) return this.pages.redirect(response, '/app/account');
    await this.sendEnrolment(request, response, pending, {});
  }

  /** The first code turns the second factor on; the recovery codes are shown this once. */
  @Post('account/second-factor/confirm')
  async confirmSecondFactor(@Body() body: Form, @Req() request: ConsoleRequest, @Res() response: Response) {
    const t = textsFor(languageOf(request));
    const actor = request.actor!;
    const pending = await this.secondFactor.pendingEnrolment(actor);
    if (!pending) return this.pages.redirect(response, '/app/account');
    const wrong = (status: number, message = t('console:account.secondFactor.wrong')) =>
      this.sendEnrolment(request, response, pending, { errors: [{ field: 'code', message }] }, status);
    try {
      const { recoveryCodes } = await this.withCode(request, response, () =>
        this.secondFactor.confirmEnrolment(actor, str(body.code)),
      );
      this.pages.send(request, response, 'second-factor', 'console:account.secondFactor.codesTitle', {
        recoveryCodes,
      });
    } catch (error) {
      if (error instanceof InvalidInputError) return wrong(422);
      if (isTooMany(error))
        return wrong(429, t('console:signIn.tooMany', { seconds: retryAfterOf(response) }));
      throw error;
    }
  }

  /** Turns the second factor off with a current code. */
  @Post('account/second-factor/disable')
  async disableSecondFactor(@Body() body: Form, @Req() request: ConsoleRequest, @Res() response: Response) {
    const t = textsFor(languageOf(request));
    try {
      await this.withCode(request, response, () => this.secondFactor.disable(request.actor!, str(body.code)));
      this.pages.redirect(response, '/app/account?secondFactorOff=1');
    } catch (error) {
      if (error instanceof InvalidInputError)
        return this.sendAccount(
          request,
          response,
          { errors: [{ field: 'code', message: t('console:signInCode.wrong') }] },
          422,
        );
      if (isTooMany(error))
        return this.sendAccount(
          request,
          response,
          {
            errors: [
              { field: '', message: t('console:signIn.tooMany', { seconds: retryAfterOf(response) }) },
            ],
          },
          429,
        );
      throw error;
    }
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
    const secondFactor = me.role === 'owner' ? await this.secondFactor.status(request.actor!) : undefined;
    this.pages.send(
      request,
      response,
      'account',
      'console:account.page.title',
      { ...data, mailHeld: me.mailHeld && me.role === 'owner', secondFactor },
      status,
    );
  }

  private async sendEnrolment(
    request: ConsoleRequest,
    response: Response,
    enrolment: SecondFactorEnrolment,
    data: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const qrSvg = await QRCode.toString(enrolment.otpauthUri, {
      type: 'svg',
      margin: 2,
      errorCorrectionLevel: 'M',
    });
    this.pages.send(
      request,
      response,
      'second-factor',
      'console:account.secondFactor.setupTitle',
      { ...enrolment, qrSvg, ...data },
      status,
    );
  }

  /** A code of the signed-in member, under the sign-in limits; a wrong one counts as a failed sign-in. */
  private async withCode<T>(request: ConsoleRequest, response: Response, work: () => Promise<T>): Promise<T> {
    const email = request.member!.email;
    await this.limits.beforeSignIn(request.ip ?? '', email, response);
    try {
      return await work();
    } catch (error) {
      if (error instanceof InvalidInputError) await this.limits.failedSignIn(email);
      throw error;
    }
  }
}
