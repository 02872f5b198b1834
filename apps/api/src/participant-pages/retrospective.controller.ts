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
import { FormContext, ResponseService } from '@luotsi/domain';
import { Public } from '../common/auth';
import { asLocale, formValues, isSameOrigin, sendSubmitted } from './participant-page';
import { sendCrossOrigin, sendRefusal } from './error-page';
import { renderRetrospectiveForm } from './retrospective-form.page';
import { RETROSPECTIVE_REFUSALS, RETROSPECTIVE_TEXTS } from './retrospective.texts';

/**
 * `/r/{token}`: a participant's retrospective form. The token in the path is the only credential (no
 * cookies, so nothing for another site to ride on); a POST from another origin is refused anyway.
 */
@ApiExcludeController()
@Public()
@UseGuards(ThrottlerGuard)
@Controller('r')
export class RetrospectivePageController {
  constructor(
    private readonly responses: ResponseService,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  async show(
    @Param('token') token: string,
    @Query('lang') lang: string | undefined,
    @Query('q') tapped: string | undefined,
    @Query('a') answer: string | undefined,
    @Res() response: Response,
  ) {
    const found = await this.responses.lookup(token);
    if (found.status === 'refused')
      return sendRefusal(response, found, RETROSPECTIVE_REFUSALS, asLocale(lang));
    const form: FormContext = { ...found.form, locale: asLocale(lang) ?? found.form.locale };
    const values = toStrings(form.previous);
    // One tap in the email opens the form with that answer filled in; it submits nothing.
    if (
      typeof tapped === 'string' &&
      typeof answer === 'string' &&
      form.questions.some((q) => q.key === tapped)
    ) {
      values[tapped] = answer.slice(0, 100);
    }
    response.type('html').send(renderRetrospectiveForm({ token, form, values }));
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
    const result = await this.responses.submit(token, values, asLocale(lang));
    return sendSubmitted(response, result, asLocale(lang), {
      texts: RETROSPECTIVE_TEXTS,
      refusals: RETROSPECTIVE_REFUSALS,
      invalid: ({ form, values, issues }) => renderRetrospectiveForm({ token, form, values, issues }),
      // Confidential and named answers may be changed until the run closes.
      afterThanks: (form) =>
        form.anonymity === 'anonymous'
          ? []
          : [
              RETROSPECTIVE_TEXTS[form.locale].changeUntil(
                new Intl.DateTimeFormat(form.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
                  form.closesAt,
                ),
              ),
            ],
    });
  }
}

function toStrings(answers: Record<string, unknown> | null): Record<string, string> {
  return Object.fromEntries(
    Object.entries(answers ?? {})
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}
