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
import { LOCALES, type Locale } from '@luotsi/database';
import { FormContext, ResponseService } from '@luotsi/domain';
import { Public } from '../common/auth';
import { renderPage } from './page';
import { renderRetrospectiveForm } from './retrospective-form.page';
import { RETROSPECTIVE_TEXTS } from './retrospective.texts';

const asLocale = (value: unknown): Locale | undefined =>
  LOCALES.includes(value as Locale) ? (value as Locale) : undefined;

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
    if (found.status === 'unknown') return this.message(response, 404, 'en', 'unknown');
    if (found.status === 'gone') return this.message(response, 410, asLocale(lang) ?? found.locale, 'gone');
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
    if (!this.sameOrigin(request)) return this.message(response, 403, 'en', 'unknown');
    const { lang, ...rest } = body ?? {};
    const values = Object.fromEntries(
      Object.entries(rest).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>;
    const result = await this.responses.submit(token, values, asLocale(lang));
    switch (result.status) {
      case 'unknown':
        return this.message(response, 404, 'en', 'unknown');
      case 'refused':
        return this.message(response, result.reason === 'used' ? 409 : 410, result.locale, result.reason);
      case 'invalid':
        return response
          .status(422)
          .type('html')
          .send(
            renderRetrospectiveForm({
              token,
              form: result.form,
              values: result.values,
              issues: result.issues,
            }),
          );
      case 'saved': {
        const t = RETROSPECTIVE_TEXTS[result.form.locale];
        const paragraphs = [t.thanksBody];
        if (result.form.anonymity !== 'anonymous') {
          const until = new Intl.DateTimeFormat(result.form.locale, {
            dateStyle: 'long',
            timeZone: 'UTC',
          }).format(result.form.closesAt);
          paragraphs.push(t.changeUntil(until));
        }
        return response.type('html').send(
          renderPage({
            locale: result.form.locale,
            title: t.thanksTitle,
            heading: t.thanksTitle,
            paragraphs,
          }),
        );
      }
    }
  }

  /** The same few pages for every refusal; they reveal nothing about other runs or people. */
  private message(response: Response, status: number, locale: Locale, kind: 'unknown' | 'gone' | 'used') {
    const t = RETROSPECTIVE_TEXTS[locale];
    const [title, body] =
      kind === 'used'
        ? [t.usedTitle, t.usedBody]
        : kind === 'gone'
          ? [t.goneTitle, t.goneBody]
          : [t.unknownTitle, t.unknownBody];
    response
      .status(status)
      .type('html')
      .send(renderPage({ locale, title, heading: title, paragraphs: [body] }));
  }

  private sameOrigin(request: Request): boolean {
    const origin = request.headers.origin;
    // Browsers send "null" for a form posted from a no-referrer page like ours; the token decides then.
    if (!origin || origin === 'null') return true;
    return (
      origin === new URL(this.config.http.publicBaseUrl).origin ||
      origin === `${request.protocol}://${request.headers.host}`
    );
  }
}

function toStrings(answers: Record<string, unknown> | null): Record<string, string> {
  return Object.fromEntries(
    Object.entries(answers ?? {})
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}
