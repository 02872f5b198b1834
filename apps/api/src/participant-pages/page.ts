import Handlebars from 'handlebars';
import type { Locale } from '@luotsi/database';

export interface PageContent {
  locale: Locale;
  title: string;
  heading: string;
  /** A paragraph in another language than the page's says which. */
  paragraphs: (string | { lang: Locale; text: string })[];
  /** A single-button form, e.g. to confirm unsubscribing. */
  form?: { action: string; button: string; hidden?: Record<string, string> };
}

const hbs = Handlebars.create();

/** A small, accessible page that works without JavaScript on a 320-px screen. Everything is escaped. */
const template = hbs.compile(
  `<!doctype html>
<html lang="{{locale}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{title}}</title>
<style>
  body { margin: 0; font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f23; background: #f6f7f9; }
  main { max-width: 36rem; margin: 0 auto; padding: 1.5rem 1rem; background: #fff; min-height: 100vh; box-sizing: border-box; }
  h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; }
  button { font: inherit; padding: 0.75rem 1.25rem; border: 0; border-radius: 0.4rem; background: #0b5cad; color: #fff; cursor: pointer; min-height: 44px; }
  button:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1>{{heading}}</h1>
{{#each paragraphs}}<p{{#if lang}} lang="{{lang}}"{{/if}}>{{text}}</p>
{{/each}}
{{#if form}}<form method="post" action="{{form.action}}">
{{#each form.hidden}}<input type="hidden" name="{{@key}}" value="{{this}}">
{{/each}}<button type="submit">{{form.button}}</button>
</form>{{/if}}
</main>
</body>
</html>
`,
  { strict: false },
);

export const renderPage = (content: PageContent): string =>
  template({
    ...content,
    paragraphs: content.paragraphs.map((p) => (typeof p === 'string' ? { text: p } : p)),
  });
