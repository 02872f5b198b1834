import { Body, Get, Header, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '@luotsi/config';
import { PlanningService } from '@luotsi/domain';
import { sendCrossOrigin, sendRefusal } from './error-page';
import { asLocale, formValues, isSameOrigin, ParticipantPage } from './participant-page';
import { renderPlanningPage } from './planning.page';
import { PLANNING_REFUSALS } from './planning.texts';

/**
 * `/p/{token}`: a participant's view of a quarter's draft OKRs and the dialogue on them. GET shows the
 * page (`?lang=` to switch); POST adds or edits what the person says and redirects back to the page
 * (POST-redirect-GET), or shows the page again with its errors (422), or, once the quarter has started,
 * the friendly page that says the planning has closed (410). The token in the path is the credential.
 */
@ParticipantPage('p')
export class PlanningPageController {
  constructor(
    private readonly planning: PlanningService,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  async show(
    @Param('token') token: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const lang = asLocale(query.lang);
    const found = await this.planning.lookup(token);
    if (found.status === 'refused') return sendRefusal(response, found, PLANNING_REFUSALS, lang);
    const page = { ...found.page, locale: lang ?? found.page.locale };
    response.type('html').send(renderPlanningPage({ token, page, saved: query.saved === '1' }));
  }

  @Post(':token')
  @HttpCode(303)
  @Header('Cache-Control', 'no-store')
  async submit(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!isSameOrigin(request, this.config.http.publicBaseUrl)) return sendCrossOrigin(response);
    const { lang, values } = formValues(body);
    const result = await this.planning.submit(token, values, lang);
    switch (result.status) {
      case 'refused':
        return sendRefusal(response, result, PLANNING_REFUSALS, lang);
      case 'invalid':
        response
          .status(422)
          .type('html')
          .send(
            renderPlanningPage({ token, page: result.page, values: result.values, issues: result.issues }),
          );
        return;
      case 'saved':
        response.redirect(303, `/p/${token}?lang=${result.page.locale}&saved=1#entry-${result.entryId}`);
    }
  }
}
