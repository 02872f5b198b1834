import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '@luotsi/config';
import { Authenticated, bearerToken, Roles } from '../common/auth';
import { QUEUE_BOARD_COOKIE, QUEUE_BOARD_ROUTE } from './queue-board-access';

/** Opens the queue board in a browser: an owner's bearer token becomes a cookie only the board receives. */
@ApiTags('operations')
@Authenticated()
@Roles('owner')
@Controller('admin/session')
export class AdminSessionController {
  constructor(private readonly config: AppConfig) {}

  @Post()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sets an HttpOnly, SameSite=Strict cookie for /admin/queues (Bull Board) from the bearer token',
  })
  @ApiNoContentResponse({ description: 'The cookie is set; open /admin/queues' })
  open(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    response.cookie(QUEUE_BOARD_COOKIE, bearerToken(request) ?? '', {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.http.publicBaseUrl.startsWith('https:'),
      // Sent to the board and nowhere else; a session cookie, and never longer-lived than the token.
      path: QUEUE_BOARD_ROUTE,
    });
  }
}
