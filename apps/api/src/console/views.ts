import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';
import {
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatQuarter,
  textsFor,
  type Language,
} from '@luotsi/texts';

const VIEWS = join(__dirname, 'views');

const hbs = Handlebars.create();
const language = (options: Handlebars.HelperOptions): Language =>
  (options.data?.root as { locale?: Language })?.locale ?? 'en';

/**
 * Texts already made, by language, key and arguments: the catalogue does not change while the process
 * runs, and a page repeats the same few texts many times (a label in every cell of a grid). Only texts
 * whose arguments are plain values are kept, and the memory is bounded.
 */
const made = new Map<string, string>();
const MADE_MAX = 20_000;
const plain = (value: unknown) => value == null || ['string', 'number', 'boolean'].includes(typeof value);

function text(lang: Language, key: string, hash: Record<string, unknown>): string {
  const args = Object.values(hash);
  if (!args.every(plain)) return textsFor(lang)(key, hash);
  const id = JSON.stringify([lang, key, hash]);
  let found = made.get(id);
  if (found === undefined) {
    found = textsFor(lang)(key, hash);
    if (made.size >= MADE_MAX) made.clear();
    made.set(id, found);
  }
  return found;
}

// Texts and formats in the page's language (the root context's `locale`); Handlebars escapes the result.
hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) =>
  text(language(options), key, options.hash as Record<string, unknown>),
);
hbs.registerHelper('formatDate', (value: Date | string, options: Handlebars.HelperOptions) =>
  formatDate(language(options), value),
);
hbs.registerHelper('formatDateTime', (value: Date | string, options: Handlebars.HelperOptions) =>
  formatDateTime(language(options), value),
);
hbs.registerHelper('formatNumber', (value: number, options: Handlebars.HelperOptions) =>
  formatNumber(language(options), value, typeof options.hash.digits === 'number' ? options.hash.digits : 0),
);
hbs.registerHelper('formatPercent', (value: number, options: Handlebars.HelperOptions) =>
  formatPercent(language(options), value),
);
hbs.registerHelper('formatQuarter', (label: string, options: Handlebars.HelperOptions) =>
  formatQuarter(language(options), label),
);
hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hbs.registerHelper('not', (a: unknown) => !a);
hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
/** The error message of one form field, or nothing. */
hbs.registerHelper(
  'fieldError',
  (errors: { field: string; message: string }[] | undefined, field: string) =>
    errors?.find((error) => error.field === field)?.message,
);

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : entry.name.endsWith('.hbs')
        ? [join(dir, entry.name)]
        : [],
  );
const nameOf = (file: string, base: string) =>
  relative(base, file)
    .replace(/\.hbs$/, '')
    .split(sep)
    .join('/');

const pages = new Map<string, Handlebars.TemplateDelegate>();
for (const file of files(VIEWS)) {
  const name = nameOf(file, VIEWS);
  const source = readFileSync(file, 'utf8');
  if (name.startsWith('partials/')) hbs.registerPartial(name.slice('partials/'.length), source);
  else pages.set(name, hbs.compile(source, { strict: false }));
}

/** What every page's layout needs; set by `pageContext` from the request. */
export interface LayoutContext {
  locale: Language;
  csrf: string;
  title: string;
  path: string;
  member?: { name: string; role: string };
  nav?: { href: string; label: string; current: boolean }[];
  flash?: string;
}

/**
 * Renders a view inside the console layout. Views are `.hbs` files under `views/` named by their path
 * (`pilots/show`); partials live in `views/partials/`; `layouts/console` frames every page.
 */
export function renderView(view: string, context: LayoutContext & Record<string, unknown>): string {
  const page = pages.get(view);
  if (!page) throw new Error(`No console view '${view}'`);
  const layout = pages.get('layouts/console')!;
  return layout({ ...context, body: page(context) });
}

/** A view without the layout: the fragment an htmx request swaps in. */
export function renderFragment(view: string, context: LayoutContext & Record<string, unknown>): string {
  const page = pages.get(view);
  if (!page) throw new Error(`No console view '${view}'`);
  return page(context);
}

export const hasView = (view: string): boolean => pages.has(view);
