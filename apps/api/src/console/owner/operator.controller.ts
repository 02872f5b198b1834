import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { textsFor } from '@luotsi/texts';
import { Public } from '../../common/auth';
import { ConsolePages } from '../console-pages';
import { languageOf, type ConsoleRequest } from '../page-context';

/** Refusals `POST /admin/session` sends the form back with (`?refused=`), as the page words them. */
const REFUSALS = new Set(['401', '403', '404', 'origin']);

/**
 * The operator's way into the queue board from a browser: the form posts the operator token to
 * `POST /admin/session`, which sets the board's own cookie and goes on to /admin/queues. Not a
 * workspace page: the board belongs to whoever runs the installation.
 */
@ApiExcludeController()
@Public()
@Controller('app/operator')
export class OperatorPageController {
  constructor(private readonly pages: ConsolePages) {}

  @Get()
  page(@Req() request: ConsoleRequest, @Res() response: Response, @Query('refused') refused?: string) {
    const t = textsFor(languageOf(request));
    const reason = typeof refused === 'string' && REFUSALS.has(refused) ? refused : null;
    this.pages.send(request, response, 'owner/operator', 'owner:operator.title', {
      errors: reason ? [{ field: 'token', message: t(`owner:operator.refused.${reason}`) }] : [],
    });
  }
}
