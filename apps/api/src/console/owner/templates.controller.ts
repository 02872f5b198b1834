import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { LOCALES } from '@luotsi/database';
import { InvalidInputError, TemplateService, type TemplateView } from '@luotsi/domain';
import { TEMPLATE_NAMES } from '@luotsi/mail';
import { textsFor } from '@luotsi/texts';
import { Roles } from '../../common/auth';
import { TemplateContentDto } from '../../templates/template.controller';
import { ConsolePages } from '../console-pages';
import { checkForm, fieldErrorsOf, str, type FieldError } from '../form';
import { languageOf, type ConsoleRequest } from '../page-context';

type Form = Record<string, unknown>;
type Rendered = { subject: string; html: string; text: string };

/**
 * The message templates: the built-ins in every language and the workspace's own versions, each
 * previewed with sample data before it is saved; the catalogue's check refuses unknown variables.
 * Owners only in the console (the workspace's voice to every participant).
 */
@ApiExcludeController()
@Roles('owner')
@Controller('app/templates')
export class TemplatesPagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly templates: TemplateService,
  ) {}

  @Get()
  async index(@Req() request: ConsoleRequest, @Res() response: Response) {
    const all = await this.templates.list();
    const rows = TEMPLATE_NAMES.map((name) => ({
      name,
      locales: LOCALES.map((locale) => ({
        locale,
        overridden: all.some((v) => v.name === name && v.locale === locale && v.overridden),
      })),
    }));
    this.pages.send(request, response, 'owner/templates', 'owner:templates.title', { rows });
  }

  @Get(':name/:locale')
  async edit(
    @Param('name') name: string,
    @Param('locale') locale: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Query('saved') saved?: string,
    @Query('reset') reset?: string,
  ) {
    const view = await this.templates.get(name, locale);
    const preview = await this.templates.previewSaved(name, locale);
    const t = textsFor(languageOf(request));
    this.sendEdit(request, response, view, {
      values: { subject: view.subject, body: view.body },
      preview,
      flash:
        saved === '1' ? t('owner:template.saved') : reset === '1' ? t('owner:template.wasReset') : undefined,
    });
  }

  /** Saves, or only previews (the "Preview" button): the same check either way, nothing stored on preview. */
  @Post(':name/:locale')
  async save(
    @Param('name') name: string,
    @Param('locale') locale: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const language = languageOf(request);
    const t = textsFor(language);
    const view = await this.templates.get(name, locale);
    const values = { subject: str(body.subject), body: str(body.body) };
    const labels = { subject: t('owner:template.subject'), body: t('owner:template.body') };
    const again = (errors: FieldError[], preview?: Rendered) =>
      this.sendEdit(request, response, view, { values, errors, preview }, errors.length ? 422 : 200);
    const form = await checkForm(TemplateContentDto, values, language, labels);
    if (!form.value) return again(form.errors);
    try {
      if (body.intent === 'preview')
        return again([], await this.templates.previewSaved(name, locale, form.value));
      await this.templates.save(name, locale, form.value);
    } catch (error) {
      if (error instanceof InvalidInputError) return again(fieldErrorsOf(error, labels));
      throw error;
    }
    this.pages.redirect(response, `/app/templates/${view.name}/${view.locale}?saved=1`);
  }

  /** Check your answers: the workspace's own version is gone once reset. */
  @Get(':name/:locale/reset')
  async resetPage(
    @Param('name') name: string,
    @Param('locale') locale: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const view = await this.templates.get(name, locale);
    const t = textsFor(languageOf(request));
    this.pages.send(request, response, 'owner/template-reset', 'owner:template.resetTitle', {
      view,
      templateName: t(`owner:templates.names.${view.name}`),
      languageName: t(`common:languages.${view.locale}`),
    });
  }

  @Post(':name/:locale/reset')
  async reset(@Param('name') name: string, @Param('locale') locale: string, @Res() response: Response) {
    const view = await this.templates.reset(name, locale);
    this.pages.redirect(response, `/app/templates/${view.name}/${view.locale}?reset=1`);
  }

  private sendEdit(
    request: ConsoleRequest,
    response: Response,
    view: TemplateView,
    data: {
      values: { subject: string; body: string };
      errors?: FieldError[];
      preview?: Rendered;
      flash?: string;
    },
    status = 200,
  ) {
    const t = textsFor(languageOf(request));
    this.pages.send(
      request,
      response,
      'owner/template',
      'owner:template.title',
      {
        ...data,
        view,
        templateName: t(`owner:templates.names.${view.name}`),
        languageName: t(`common:languages.${view.locale}`),
        audience: t(`owner:templates.audiences.${view.audience}`),
        variables: view.variables.map((variable) => `{{${variable}}}`),
      },
      status,
    );
  }
}
