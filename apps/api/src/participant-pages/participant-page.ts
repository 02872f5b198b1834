import type { Request, Response } from 'express';
import { LOCALES, type Locale } from '@luotsi/database';
import type { Refused } from '@luotsi/domain';
import { renderPage } from './page';
import { RefusalTexts, sendRefusal } from './error-page';

/** What the participant forms share: the language switch, form values, the origin check, the answer. */

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
  | { status: 'saved'; form: Form }
  | { status: 'invalid'; form: Form; issues: unknown[]; values: Record<string, string> }
  | Refused;

type FormOf<Result> = Extract<Result, { status: 'saved' }> extends { form: infer Form } ? Form : never;

export interface FormPages<Result extends Submitted<{ locale: Locale }>> {
  texts: Record<Locale, { thanksTitle: string; thanksBody: string }>;
  refusals: Record<Locale, RefusalTexts>;
  /** The form again, with the values posted and what is wrong with them. */
  invalid(result: Extract<Result, { status: 'invalid' }>): string;
  /** More to say on the thank-you page than the thanks. */
  afterThanks?(form: FormOf<Result>): string[];
}

/** Answers a form post: the refusal page, the form again with its errors (422), or the thank-you page. */
export function sendSubmitted<Result extends Submitted<{ locale: Locale }>>(
  response: Response,
  result: Result,
  lang: Locale | undefined,
  pages: FormPages<Result>,
): void {
  switch (result.status) {
    case 'refused':
      return sendRefusal(response, result, pages.refusals, lang);
    case 'invalid':
      response
        .status(422)
        .type('html')
        .send(pages.invalid(result as Extract<Result, { status: 'invalid' }>));
      return;
    case 'saved': {
      const { locale } = result.form;
      const t = pages.texts[locale];
      response.type('html').send(
        renderPage({
          locale,
          title: t.thanksTitle,
          heading: t.thanksTitle,
          paragraphs: [t.thanksBody, ...(pages.afterThanks?.(result.form as FormOf<Result>) ?? [])],
        }),
      );
    }
  }
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
