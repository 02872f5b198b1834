import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, AuthService, WorkspaceService } from '@luotsi/domain';
import { Authenticated, bearerToken, CurrentActor, Public } from '../common/auth';
import { AcceptInvitationDto, LoginDto, SignUpDto, TokenDto } from './auth.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly workspaces: WorkspaceService,
  ) {}

  @Public()
  @Post('workspaces')
  @ApiCreatedResponse({ description: 'The new workspace, its owner and an access token' })
  async signUp(@Body() body: SignUpDto) {
    const { workspace, member, token } = await this.workspaces.signUp(body);
    return { workspace, member, ...token };
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenDto })
  login(@Body() body: LoginDto) {
    return this.auth.login(body.email, body.password);
  }

  @Public()
  @Post('auth/invitations/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenDto })
  accept(@Body() body: AcceptInvitationDto) {
    return this.auth.acceptInvitation(body.token, body.password);
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
