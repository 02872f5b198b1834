import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '@luotsi/config';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '@luotsi/domain';
import { Public } from '../common/auth';
import { isCrossOrigin } from '../console/session';
import { OperatorAccess, QUEUE_BOARD_COOKIE, QUEUE_BOARD_ROUTE } from './queue-board-access';

/**
 * Opens the queue board in a browser: the operator token (OPERATOR_TOKEN) as the bearer token becomes a
 * signed board session in a cookie only the board receives. Not a workspace route (@Public for the
 * workspace guard): it checks the operator token itself.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Public()
@Controller('admin/session')
export class AdminSessionController {
  constructor(
    private readonly config: AppConfig,
    private readonly access: OperatorAccess,
  ) {}

  @Post()
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Sets an HttpOnly, SameSite=Strict cookie for /admin/queues (Bull Board); the bearer token must be OPERATOR_TOKEN',
  })
  @ApiNoContentResponse({ description: 'The cookie is set; open /admin/queues' })
  @ApiUnauthorizedResponse({ description: 'No bearer token, or not the operator token' })
  @ApiForbiddenResponse({ description: "A workspace's token: the board is the operator's only" })
  @ApiNotFoundResponse({ description: 'OPERATOR_TOKEN is not set: the board is closed' })
  async open(@Req() request: Request, @Res() response: Response): Promise<void> {
    // The console's operator page (/app/operator) posts the token as a form, as a browser cannot send a
    // bearer header; its answers are pages, not problems. Another site's form is refused before the check.
    const form = request.is('application/x-www-form-urlencoded')
      ? (request.body as Record<string, unknown> | undefined)
      : undefined;
    if (form) {
      if (isCrossOrigin(request)) return void response.redirect(303, '/app/operator?refused=origin');
      const token = typeof form.token === 'string' ? form.token.trim() : '';
      const refusal = await this.access.check(request, { cookies: false, token });
      if (refusal) return void response.redirect(303, `/app/operator?refused=${refusal.status}`);
      this.setSession(response);
      return void response.redirect(303, QUEUE_BOARD_ROUTE);
    }
    const refusal = await this.access.check(request, { cookies: false });
    if (refusal?.status === 404) throw new NotFoundError('resource');
    if (refusal?.status === 403) throw new ForbiddenError(refusal.detail);
    if (refusal) throw new UnauthenticatedError(refusal.detail);
    this.setSession(response);
    response.status(204).end();
  }

  private setSession(response: Response): void {
    response.cookie(QUEUE_BOARD_COOKIE, this.access.newSession(), {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.http.publicBaseUrl.startsWith('https:'),
      // Sent to the board and nowhere else; a browser-session cookie, whose session ends after 12 hours anyway.
      path: QUEUE_BOARD_ROUTE,
    });
  }
}
