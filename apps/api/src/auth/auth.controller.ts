import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  Actor,
  AuthService,
  InvalidInputError,
  PasswordWorkBusyError,
  UnauthenticatedError,
  WorkspaceService,
} from '@luotsi/domain';
import { Authenticated, bearerToken, CurrentActor, Public } from '../common/auth';
import {
  AcceptInvitationDto,
  ChangePasswordDto,
  EmailOnlyDto,
  LoginDto,
  MailedDto,
  ResetPasswordDto,
  SignUpDto,
  TokenDto,
  TokenOnlyDto,
} from './auth.dto';
import { SignInLimits, tooManyAttempts } from './sign-in-limits';

const TOO_MANY =
  'Too many attempts from this address or for this account, or the server is busy: see Retry-After';

/** Password work refused because the hashing queue is full becomes a 429 like the limits' own. */
async function unlessBusy<T>(response: Response, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PasswordWorkBusyError) tooManyAttempts(response, error.retryAfterSeconds * 1000);
    throw error;
  }
}

/** One answer whether or not the address has an account. */
export const CHECK_YOUR_MAIL: MailedDto = {
  status: 'check_your_mail',
  message: 'If the address can be used, a message with a link is on its way to it.',
};

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly workspaces: WorkspaceService,
    private readonly limits: SignInLimits,
  ) {}

  @Public()
  @Post('workspaces')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: MailedDto,
    description:
      'The same answer for a new address and one with an account: a new one gets a link that confirms it and signs in; an existing one gets a notice instead',
  })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async signUp(
    @Body() body: SignUpDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MailedDto> {
    await this.limits.beforeSignUp(request.ip ?? '', response);
    await unlessBusy(response, () => this.workspaces.signUp(body));
    return CHECK_YOUR_MAIL;
  }

  @Public()
  @Post('auth/confirmations')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      "The sign-up address confirmed (the workspace's held mail goes), with the workspace, its owner and an access token",
  })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async confirm(
    @Body() body: TokenOnlyDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.limits.beforeSignUp(request.ip ?? '', response);
    const { workspace, member, token } = await this.workspaces.confirm(body.token);
    return { workspace, member, ...token };
  }

  @Public()
  @Post('auth/confirmations/resend')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: MailedDto, description: 'A new confirmation link, if the address awaits one' })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async resendConfirmation(
    @Body() body: EmailOnlyDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MailedDto> {
    await this.limits.beforeSignUp(request.ip ?? '', response);
    await this.workspaces.resendConfirmation(body.email, body.locale);
    return CHECK_YOUR_MAIL;
  }

  @Public()
  @Post('auth/password/forgot')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: MailedDto,
    description: 'A single-use reset link mailed to the address if it has an account; the same answer if not',
  })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async forgotPassword(
    @Body() body: EmailOnlyDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MailedDto> {
    await this.limits.beforeSignUp(request.ip ?? '', response);
    await this.auth.requestPasswordReset(body.email, body.locale);
    return CHECK_YOUR_MAIL;
  }

  @Public()
  @Post('auth/password/reset')
  @HttpCode(200)
  @ApiOkResponse({
    type: TokenDto,
    description: 'The new password set, every earlier session ended, signed in',
  })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async resetPassword(
    @Body() body: ResetPasswordDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.limits.beforeSignUp(request.ip ?? '', response);
    return unlessBusy(response, () => this.auth.resetPassword(body.token, body.password));
  }

  @Authenticated()
  @Post('auth/password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: "Password changed; the member's other sessions ended" })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async changePassword(
    @Body() body: ChangePasswordDto,
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { email } = await this.auth.me(actor);
    await this.limits.beforeSignIn(request.ip ?? '', email, response);
    try {
      await unlessBusy(response, () =>
        this.auth.changePassword(actor, bearerToken(request)!, body.currentPassword, body.newPassword),
      );
    } catch (error) {
      if (error instanceof InvalidInputError) await this.limits.failedSignIn(email);
      throw error;
    }
  }

  @Authenticated()
  @Post('auth/sign-out-everywhere')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Every session of the member ended, this one included' })
  async signOutEverywhere(@CurrentActor() actor: Actor) {
    await this.auth.signOutEverywhere(actor);
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenDto })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async login(
    @Body() body: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const ip = request.ip ?? '';
    await this.limits.beforeSignIn(ip, body.email, response);
    try {
      const token = await unlessBusy(response, () => this.auth.login(body.email, body.password));
      await this.limits.succeededSignIn(ip, body.email);
      return token;
    } catch (error) {
      if (error instanceof UnauthenticatedError) await this.limits.failedSignIn(body.email);
      throw error;
    }
  }

  @Public()
  @Post('auth/invitations/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenDto })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async accept(
    @Body() body: AcceptInvitationDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.limits.beforeSignUp(request.ip ?? '', response);
    return unlessBusy(response, () => this.auth.acceptInvitation(body.token, body.password));
  }

  @Authenticated()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiNoContentResponse()
  async logout(@Req() request: Request) {
    await this.auth.logout(bearerToken(request)!);
  }

  @Authenticated()
  @Get('auth/me')
  @ApiOkResponse({ description: 'The calling member and its role' })
  me(@CurrentActor() actor: Actor) {
    return this.auth.me(actor);
  }
}
