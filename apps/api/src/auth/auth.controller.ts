import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  Actor,
  AuthService,
  PasswordWorkBusyError,
  UnauthenticatedError,
  WorkspaceService,
} from '@luotsi/domain';
import { Authenticated, bearerToken, CurrentActor, Public } from '../common/auth';
import { AcceptInvitationDto, LoginDto, SignUpDto, TokenDto } from './auth.dto';
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
  @ApiCreatedResponse({ description: 'The new workspace, its owner and an access token' })
  @ApiTooManyRequestsResponse({ description: TOO_MANY })
  async signUp(
    @Body() body: SignUpDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.limits.beforeSignUp(request.ip ?? '', response);
    const { workspace, member, token } = await unlessBusy(response, () => this.workspaces.signUp(body));
    return { workspace, member, ...token };
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
