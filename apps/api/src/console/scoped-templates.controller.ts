import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { LOCALES } from '@luotsi/database';
import {
  InvalidInputError,
  OrganizationService,
  RolloutService,
  TemplateService,
  type TemplateView,
} from '@luotsi/domain';
import { TEMPLATE_NAMES } from '@luotsi/mail';
import { textsFor } from '@luotsi/texts';
import { Roles } from '../common/auth';
import { Id } from '../common/params';
import { TemplateContentDto } from '../templates/template.controller';
import { ConsolePages } from './console-pages';
import { checkForm, fieldErrorsOf, str, type FieldError } from './form';
import { languageOf, type ConsoleRequest } from './page-context';

type Rendered = { subject: string; html: string; text: string };

/** The organization or rollout whose own template texts a page shows. */
interface Scope {
  level: 'organization' | 'rollout';
  /** The API's scope: `{ organizationId }` or `{ rolloutId }`. */
  query: { organizationId?: string; rolloutId?: string };
  /** The page of the organization or rollout, and the base of these pages under it. */
  home: string;
  base: string;
  name: string;
}

const LIST = ['organizations/:id/templates', 'rollouts/:id/templates'];
const ONE = ['organizations/:id/templates/:name/:locale', 'rollouts/:id/templates/:name/:locale'];
const REMOVE = [
  'organizations/:id/templates/:name/:locale/remove',
  'rollouts/:id/templates/:name/:locale/remove',
];

/**
 * A client's or a rollout's own template texts: the most specific version applies when a mail goes (the
 * rollout's, else its organization's, else the workspace's, else the built-in), each page saying where a
 * text comes from. Saved with the API's checks; a preview renders with sample data, nothing stored.
 */
@ApiExcludeController()
@Roles('owner', 'coach')
@Controller('app')
export class ScopedTemplatesPagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly templates: TemplateService,
    private readonly organizations: OrganizationService,
    private readonly rollouts: RolloutService,
  ) {}

  @Get(LIST)
  async index(
    @Param('id', Id('record')) id: string,
    @Query('removed') removed: string | undefined,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const scope = await this.scopeOf(request, id);
    const all = await this.templates.list(scope.query);
    const t = textsFor(languageOf(request));
    const rows = TEMPLATE_NAMES.filter((name) =>
      all.some((v) => v.name === name && v.audience !== 'member'),
    ).map((name) => ({
      name,
      title: this.nameOf(t, name),
      locales: LOCALES.map((locale) => {
        const view = all.find((v) => v.name === name && v.locale === locale)!;
        return { locale, source: view.source, overridden: view.overridden };
      }),
    }));
    this.pages.send(request, response, 'templates/scoped-list', 'cadence:templates.title', {
      scope,
      rows,
      flash: removed === '1' ? t('cadence:templates.removed') : undefined,
    });
  }

  @Get(ONE)
  async edit(
    @Param('id', Id('record')) id: string,
    @Param('name') name: string,
    @Param('locale') locale: string,
    @Query('saved') saved: string | undefined,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const scope = await this.scopeOf(request, id);
    const view = await this.templates.get(name, locale, scope.query);
    const preview = await this.templates.previewSaved(view.name, view.locale, undefined, scope.query);
    const t = textsFor(languageOf(request));
    this.sendEdit(request, response, scope, view, {
      values: { subject: view.subject, body: view.body },
      preview,
      flash: saved === '1' ? t('cadence:templates.saved') : undefined,
    });
  }

  /** Saves the scope's own version, or only previews it (the "Preview" button): the same checks either way. */
  @Post(ONE)
  async save(
    @Param('id', Id('record')) id: string,
    @Param('name') name: string,
    @Param('locale') locale: string,
    @Body() body: Record<string, unknown>,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const scope = await this.scopeOf(request, id);
    const language = languageOf(request);
    const t = textsFor(language);
    const view = await this.templates.get(name, locale, scope.query);
    const values = { subject: str(body.subject), body: str(body.body) };
    const labels = { subject: t('owner:template.subject'), body: t('owner:template.body') };
    const again = (errors: FieldError[], preview?: Rendered) =>
      this.sendEdit(request, response, scope, view, { values, errors, preview }, errors.length ? 422 : 200);
    const form = await checkForm(TemplateContentDto, values, language, labels);
    if (!form.value) return again(form.errors);
    try {
      if (body.intent === 'preview')
        return again([], await this.templates.previewSaved(view.name, view.locale, form.value, scope.query));
      await this.templates.save(view.name, view.locale, form.value, scope.query);
    } catch (error) {
      if (error instanceof InvalidInputError) return again(fieldErrorsOf(error, labels));
      throw error;
    }
    this.pages.redirect(response, `${scope.base}/${view.name}/${view.locale}?saved=1`);
  }

  /** Check your answers: the scope's own version is deleted; the next one along the chain applies. */
  @Get(REMOVE)
  async removePage(
    @Param('id', Id('record')) id: string,
    @Param('name') name: string,
    @Param('locale') locale: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const scope = await this.scopeOf(request, id);
    const view = await this.templates.get(name, locale, scope.query);
    if (!view.overridden) return this.pages.redirect(response, `${scope.base}/${view.name}/${view.locale}`);
    const t = textsFor(languageOf(request));
    this.pages.send(request, response, 'templates/scoped-remove', 'cadence:templates.removeTitle', {
      scope,
      view,
      templateName: this.nameOf(t, view.name),
      languageName: t(`common:languages.${view.locale}`),
    });
  }

  @Post(REMOVE)
  async remove(
    @Param('id', Id('record')) id: string,
    @Param('name') name: string,
    @Param('locale') locale: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const scope = await this.scopeOf(request, id);
    await this.templates.reset(name, locale, scope.query);
    this.pages.redirect(response, `${scope.base}?removed=1`);
  }

  private nameOf(t: (key: string) => string, name: string): string {
    const key = `owner:templates.names.${name}`;
    const title = t(key);
    return title === key || title === `templates.names.${name}` ? name : title;
  }

  /** The organization or rollout of the path, read in the caller's workspace (another's is a 404). */
  private async scopeOf(request: ConsoleRequest, id: string): Promise<Scope> {
    if (request.path.startsWith('/app/organizations/')) {
      const organization = await this.organizations.get(id);
      const home = `/app/organizations/${organization.id}`;
      return {
        level: 'organization',
        query: { organizationId: organization.id },
        home,
        base: `${home}/templates`,
        name: organization.name,
      };
    }
    const rollout = await this.rollouts.get(id);
    const home = `/app/rollouts/${rollout.id}`;
    return {
      level: 'rollout',
      query: { rolloutId: rollout.id },
      home,
      base: `${home}/templates`,
      name: rollout.goal,
    };
  }

  private sendEdit(
    request: ConsoleRequest,
    response: Response,
    scope: Scope,
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
      'templates/scoped-edit',
      'cadence:templates.editTitle',
      {
        ...data,
        scope,
        view,
        templateName: this.nameOf(t, view.name),
        languageName: t(`common:languages.${view.locale}`),
        variables: view.variables.map((variable) => `{{${variable}}}`),
      },
      status,
    );
  }
}
