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
import { CheckInService } from '@luotsi/domain';
import { Public } from '../common/auth';
import { renderPage } from './page';
import { renderCheckInForm } from './check-in-form.page';
import { CHECK_IN_TEXTS } from './check-in.texts';

const asLocale = (value: unknown): Locale | undefined =>
  LOCALES.includes(value as Locale) ? (value as Locale) : undefined;

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
    if (found.status === 'unknown') return this.message(response, 404, asLocale(lang) ?? 'en', 'unknown');
    if (found.status === 'refused')
      return this.message(
        response,
        found.reason === 'used' ? 409 : 410,
        asLocale(lang) ?? found.locale,
        found.reason,
      );
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
    if (!this.sameOrigin(request)) return this.message(response, 403, 'en', 'unknown');
    const { lang, ...rest } = body ?? {};
    const values = Object.fromEntries(
      Object.entries(rest).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>;
    const result = await this.checkIns.submit(token, values, asLocale(lang));
    switch (result.status) {
      case 'unknown':
        return this.message(response, 404, asLocale(lang) ?? 'en', 'unknown');
      case 'refused':
        return this.message(response, result.reason === 'used' ? 409 : 410, result.locale, result.reason);
      case 'invalid':
        return response
          .status(422)
          .type('html')
          .send(
            renderCheckInForm({ token, form: result.form, values: result.values, issues: result.issues }),
          );
      case 'saved': {
        const t = CHECK_IN_TEXTS[result.form.locale];
        return response.type('html').send(
          renderPage({
            locale: result.form.locale,
            title: t.thanksTitle,
            heading: t.thanksTitle,
            paragraphs: [t.thanksBody],
          }),
        );
      }
    }
  }

  /** The same few pages for every refusal; they reveal nothing about other people or weeks. */
  private message(response: Response, status: number, locale: Locale, kind: 'unknown' | 'gone' | 'used') {
    const t = CHECK_IN_TEXTS[locale];
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
