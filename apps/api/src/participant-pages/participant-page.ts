import {
  applyDecorators,
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
import type { Request, Response } from 'express';
import Handlebars from 'handlebars';
import { AppConfig } from '@luotsi/config';
import { LOCALES, type Locale } from '@luotsi/database';
import type { InputIssue, Refused } from '@luotsi/domain';
import { Public } from '../common/auth';
import { RateLimitGuard } from '../common/rate-limit.guard';
import { renderPage } from './page';
import { RefusalTexts, sendCrossOrigin, sendRefusal } from './error-page';

/**
 * What the participant forms (`/c` check-in, `/r` retrospective, `/p` planning) share: the controller
 * that shows a form and answers its post, the page's frame, the language switch, form values and the
 * origin check.
 */

export const asLocale = (value: unknown): Locale | undefined =>
  LOCALES.includes(value as Locale) ? (value as Locale) : undefined;

/** A posted form: the chosen language and the string fields (anything else is dropped). */
export function formValues(body: Record<string, unknown> | undefined): {
  lang: Locale | undefined;
  values: Record<string, string>;
} {
  const { lang, ...rest } = body ?? {};
  const values = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
  return { lang: asLocale(lang), values };
}

/** A post from another origin is refused (there are no cookies to ride on, but still). */
export function isSameOrigin(request: Request, publicBaseUrl: string): boolean {
  const origin = request.headers.origin;
  // Browsers send "null" for a form posted from a no-referrer page like ours; the token decides then.
  if (!origin || origin === 'null') return true;
  return (
    origin === new URL(publicBaseUrl).origin || origin === `${request.protocol}://${request.headers.host}`
  );
}

/** What a submitted participant form comes to, whichever form it is. */
export type Submitted<Form extends { locale: Locale }> =
  /** `anchor`: where on the page a redirect after saving lands (e.g. the entry just written). */
  | { status: 'saved'; form: Form; anchor?: string }
  | { status: 'invalid'; form: Form; issues: InputIssue[]; values: Record<string, string> }
  | Refused;

/** What a form's domain service offers its page: the form behind a link, and the answers posted to it. */
export interface TokenForms<Form extends { locale: Locale }> {
  lookup(token: string): Promise<{ status: 'ok'; form: Form } | Refused>;
  submit(token: string, values: Record<string, string>, locale?: Locale): Promise<Submitted<Form>>;
}

/** A form's page: the form in its language, with the values to show and what is wrong with them. */
export interface FormPage<Form> {
  token: string;
  form: Form;
  values?: Record<string, string>;
  issues?: InputIssue[];
  /** The link's query, when the page is shown by GET (e.g. `?saved=1` after a redirect). */
  query?: Record<string, unknown>;
}

/** What a participant form's pages are made of, beside its service. */
export interface FormPages<Form extends { locale: Locale }> {
  /** The thank-you page's words; unused by a form that redirects after saving. */
  texts?: Record<Locale, { thanksTitle: string; thanksBody: string }>;
  /**
   * Where a saved post goes instead of the thank-you page (POST-redirect-GET, 303): for a form that
   * stays open for more, such as the planning dialogue's page.
   */
  redirectAfterSave?(token: string, saved: { form: Form; anchor?: string }): string;
  refusals: Record<Locale, RefusalTexts>;
  render(page: FormPage<Form>): string;
  /** The values the form opens with, from the link's query; none by default. */
  opening?(form: Form, query: Record<string, unknown>): Record<string, string>;
  /** More to say on the thank-you page than the thanks. */
  afterThanks?(form: Form): string[];
}

/**
 * A page for people without an account (`/r`, `/c`, `/u`, `/s`): public, rate-limited per address (and
 * a `.pdf` more tightly), and out of the OpenAPI document.
 */
export const ParticipantPage = (path: string) =>
  applyDecorators(ApiExcludeController(), Public(), UseGuards(RateLimitGuard), Controller(path));

/**
 * A participant form at `/{path}/{token}`. The token in the path is the only credential (no cookies, so
 * nothing for another site to ride on); a POST from another origin is refused anyway. GET shows the form
 * in `?lang=`, else the person's language; POST answers with the refusal page, the form again with its
 * errors (422), or the thank-you page (or, for a form that stays open, a 303 back to the page). Each
 * form's controller gives its service and its pages.
 */
export abstract class ParticipantFormController<Form extends { locale: Locale }> {
  protected constructor(
    private readonly forms: TokenForms<Form>,
    private readonly config: AppConfig,
    private readonly pages: FormPages<Form>,
  ) {}

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  async show(
    @Param('token') token: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const lang = asLocale(query.lang);
    const found = await this.forms.lookup(token);
    if (found.status === 'refused') return sendRefusal(response, found, this.pages.refusals, lang);
    const form = { ...found.form, locale: lang ?? found.form.locale };
    response
      .type('html')
      .send(this.pages.render({ token, form, values: this.pages.opening?.(form, query), query }));
  }

  @Post(':token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async submit(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!isSameOrigin(request, this.config.http.publicBaseUrl)) return sendCrossOrigin(response);
    const { lang, values } = formValues(body);
    const result = await this.forms.submit(token, values, lang);
    switch (result.status) {
      case 'refused':
        return sendRefusal(response, result, this.pages.refusals, lang);
      case 'invalid':
        response
          .status(422)
          .type('html')
          .send(
            this.pages.render({ token, form: result.form, values: result.values, issues: result.issues }),
          );
        return;
      case 'saved': {
        if (this.pages.redirectAfterSave)
          return response.redirect(303, this.pages.redirectAfterSave(token, result));
        const { locale } = result.form;
        const t = this.pages.texts![locale];
        response.type('html').send(
          renderPage({
            locale,
            title: t.thanksTitle,
            heading: t.thanksTitle,
            paragraphs: [t.thanksBody, ...(this.pages.afterThanks?.(result.form) ?? [])],
          }),
        );
      }
    }
  }
}

/** The words of a form page's frame. */
export interface FrameWords {
  language: string;
  otherLanguages: string;
  title: string;
  errorTitle: string;
}

/** The frame of a form page: the page's path, its words, and where each issue's summary link goes. */
export interface Frame<Words extends FrameWords> {
  path: string;
  locale: Locale;
  texts: Record<Locale, Words>;
  intro: string;
  submitLabel: string;
  issues: InputIssue[];
  /** The control an issue's link in the error summary moves to, and what the summary calls the field. */
  targetOf(field: string): { target: string; label: string } | undefined;
}

const hbs = Handlebars.create();

/**
 * Compiles a form page: the frame both forms share (the language switch, the heading and intro, an error
 * summary that links to each field, a form posting back with its language) around the page's `lead`
 * (after the intro) and `fields`. Escaped, no JavaScript; the fields see the frame's words as `../t`.
 */
export function compileFormPage(parts: { style: string; lead: string; fields: string }) {
  const template = hbs.compile(`<!doctype html>
<html lang="{{locale}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{#if errors}}{{t.errorTitle}} – {{/if}}{{t.title}}</title>
<style>${parts.style}</style>
</head>
<body>
<main>
<nav aria-label="{{t.otherLanguages}}"><ul class="langs">{{#each languages}}<li><a href="{{href}}" lang="{{code}}" hreflang="{{code}}"{{#if current}} aria-current="page"{{/if}}>{{name}}</a></li>{{/each}}</ul></nav>
<h1>{{t.title}}</h1>
<p>{{intro}}</p>
${parts.lead}
{{#if errors}}<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
<h2 id="error-summary-title">{{t.errorTitle}}</h2>
<ul>{{#each errors}}<li><a href="#{{target}}">{{label}}: {{reason}}</a></li>{{/each}}</ul>
</div>{{/if}}
<form method="post" action="{{action}}" novalidate>
<input type="hidden" name="lang" value="{{locale}}">
${parts.fields}
<button type="submit">{{submitLabel}}</button>
</form>
</main>
</body>
</html>
`);
  return <Words extends FrameWords>(frame: Frame<Words>, page: object): string => {
    const { path, locale, texts, issues } = frame;
    return template({
      locale,
      t: texts[locale],
      intro: frame.intro,
      action: path,
      languages: LOCALES.map((code) => ({
        code,
        name: texts[code].language,
        href: `${path}?lang=${code}`,
        current: code === locale,
      })),
      errors: issues.length
        ? issues.map((i) => ({
            ...(frame.targetOf(i.field) ?? { target: 'error-summary-title', label: i.field }),
            reason: i.reason,
          }))
        : null,
      submitLabel: frame.submitLabel,
      ...page,
    });
  };
}

/** The look both forms share; each adds its own few rules. Phone first, visible focus, 44-px targets. */
export const FORM_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f23;background:#f6f7f9}
main{max-width:40rem;margin:0 auto;padding:1rem;background:#fff;min-height:100vh}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 .75rem}
.langs{list-style:none;display:flex;gap:1rem;margin:0;padding:0;justify-content:flex-end}
.langs a{color:#0b5cad}
.req{font-weight:400;color:#4a5560;font-size:.9em}
.hint{margin:.25rem 0 .5rem;color:#4a5560}
.options{display:flex;flex-wrap:wrap;gap:.5rem}
.option{display:flex;align-items:center;gap:.5rem;min-height:44px;padding:.4rem .75rem;border:1px solid #9aa4ad;border-radius:.4rem;cursor:pointer}
.options.scale .option{min-width:3rem;justify-content:center}
.option input{width:1.25rem;height:1.25rem;margin:0}
textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #6b7580;border-radius:.4rem}
.has-error{border-left:4px solid #b3261e;padding-left:.75rem}
.error{color:#b3261e;font-weight:600;margin:.25rem 0 .5rem}
.error-summary{border:3px solid #b3261e;padding:.75rem 1rem;margin:1rem 0}
.error-summary h2{font-size:1.15rem;margin:0 0 .5rem}
.error-summary a{color:#b3261e;overflow-wrap:anywhere}
button{font:inherit;padding:.75rem 1.25rem;border:0;border-radius:.4rem;background:#0b5cad;color:#fff;cursor:pointer;min-height:44px}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
`;
