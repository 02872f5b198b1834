import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppConfig } from '@luotsi/config';
import { CheckInService } from '@luotsi/domain';
import { Public } from '../common/auth';
import { asLocale, formValues, isSameOrigin, sendSubmitted } from './participant-page';
import { sendCrossOrigin, sendRefusal } from './error-page';
import { renderCheckInForm } from './check-in-form.page';
import { CHECK_IN_REFUSALS, CHECK_IN_TEXTS } from './check-in.texts';

/**
 * `/c/{token}`: a key-result owner's weekly check-in. The token in the path is the only credential (no
 * cookies); a POST from another origin is refused anyway.
 */
@ApiExcludeController()
@Public()
@UseGuards(ThrottlerGuard)
@Controller('c')
export class CheckInPageController {
  constructor(
    private readonly checkIns: CheckInService,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  async show(
    @Param('token') token: string,
    @Query('lang') lang: string | undefined,
    @Res() response: Response,
  ) {
    const found = await this.checkIns.lookup(token);
    if (found.status === 'refused') return sendRefusal(response, found, CHECK_IN_REFUSALS, asLocale(lang));
    const form = { ...found.form, locale: asLocale(lang) ?? found.form.locale };
    response.type('html').send(renderCheckInForm({ token, form }));
  }

  @Post(':token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async submit(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    if (!isSameOrigin(request, this.config.http.publicBaseUrl)) return sendCrossOrigin(response);
    const { lang, values } = formValues(body);
    const result = await this.checkIns.submit(token, values, asLocale(lang));
    return sendSubmitted(response, result, asLocale(lang), {
      texts: CHECK_IN_TEXTS,
      refusals: CHECK_IN_REFUSALS,
      invalid: ({ form, values, issues }) => renderCheckInForm({ token, form, values, issues }),
    });
  }
}
