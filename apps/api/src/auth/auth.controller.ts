import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  Actor,
  AuthService,
  InvalidInputError,
  needsSecondFactor,
  PasswordWorkBusyError,
  SecondFactorService,
  UnauthenticatedError,
  WorkspaceService,
} from '@luotsi/domain';
import { Authenticated, bearerToken, CurrentActor, Public } from '../common/auth';
import {
  AcceptInvitationDto,
  ChangePasswordDto,
  CodeDto,
  RecoveryCodesDto,
  SecondFactorChallengeDto,
  SecondFactorEnrolmentDto,
  SecondFactorSignInDto,
  SecondFactorStatusDto,
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
    private readonly secondFactor: SecondFactorService,
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
      "The sign-up address confirmed (the workspace's held mail goes), with the workspace, its owner and an access token (or, with the second factor on, a challenge for /auth/login/second-factor)",
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
    description:
      'The new password set, every earlier session ended, signed in; with the second factor on, a challenge for /auth/login/second-factor instead (as from /auth/login)',
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
  @ApiExtraModels(TokenDto, SecondFactorChallengeDto)
  @ApiOkResponse({
    description:
      'Signed in; or, for a member with the second factor on, a challenge to post with a code to /auth/login/second-factor',
    schema: { oneOf: [{ $ref: getSchemaPath(TokenDto) }, { $ref: getSchemaPath(SecondFactorChallengeDto) }] },
  })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async login(
    @Body() body: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const ip = request.ip ?? '';
    await this.limits.beforeSignIn(ip, body.email, response);
    try {
      const signedIn = await unlessBusy(response, () => this.auth.login(body.email, body.password));
      // With a second factor the sign-in is not over: the account's failures stand until the code is right.
      if (!needsSecondFactor(signedIn)) await this.limits.succeededSignIn(ip, body.email);
      return signedIn;
    } catch (error) {
      if (error instanceof UnauthenticatedError) await this.limits.failedSignIn(body.email);
      throw error;
    }
  }

  @Public()
  @Post('auth/login/second-factor')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenDto })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async loginSecondFactor(
    @Body() body: SecondFactorSignInDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const ip = request.ip ?? '';
    const { email } = await this.auth.challengedMember(body.challengeToken);
    await this.limits.beforeSignIn(ip, email, response);
    try {
      const token = await this.auth.completeSignIn(body.challengeToken, body.code);
      await this.limits.succeededSignIn(ip, email);
      return token;
    } catch (error) {
      // A wrong code counts as a failed sign-in of the account, like a wrong password.
      if (error instanceof UnauthenticatedError) await this.limits.failedSignIn(email);
      throw error;
    }
  }

  @Authenticated()
  @Get('auth/second-factor')
  @ApiOkResponse({ type: SecondFactorStatusDto })
  secondFactorStatus(@CurrentActor() actor: Actor) {
    return this.secondFactor.status(actor);
  }

  @Authenticated()
  @Post('auth/second-factor/enrolment')
  @HttpCode(201)
  @ApiCreatedResponse({
    type: SecondFactorEnrolmentDto,
    description:
      "A new secret for the owner's authenticator app (owners only); the first code from it confirms the enrolment",
  })
  beginEnrolment(@CurrentActor() actor: Actor) {
    return this.secondFactor.beginEnrolment(actor);
  }

  @Authenticated()
  @Post('auth/second-factor/enrolment/confirm')
  @HttpCode(200)
  @ApiOkResponse({
    type: RecoveryCodesDto,
    description: 'The second factor is on; the recovery codes, shown once',
  })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async confirmEnrolment(
    @Body() body: CodeDto,
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.withCode(actor, request, response, () =>
      this.secondFactor.confirmEnrolment(actor, body.code),
    );
  }

  @Authenticated()
  @Post('auth/second-factor/disable')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The second factor is off; its secret and recovery codes are gone' })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async disableSecondFactor(
    @Body() body: CodeDto,
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.withCode(actor, request, response, () => this.secondFactor.disable(actor, body.code));
  }

  /** A code checked for the signed-in member: under the sign-in limits, a wrong one counting as a failure. */
  private async withCode<T>(actor: Actor, request: Request, response: Response, work: () => Promise<T>) {
    const { email } = await this.auth.me(actor);
    await this.limits.beforeSignIn(request.ip ?? '', email, response);
    try {
      return await work();
    } catch (error) {
      if (error instanceof InvalidInputError) await this.limits.failedSignIn(email);
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
