import Handlebars, { type HelperOptions } from 'handlebars';
import type { MailLocale } from './template-catalogue';
import { actionButton, bulletList, quickAnswerLinks } from './layout';

/**
 * The helpers a template may call, with their arity: the renderer registers exactly these, and
 * validation refuses any other. `if` and `unless` are Handlebars' own.
 */
export const MAIL_HELPERS = {
  if: { params: 1, block: true },
  unless: { params: 1, block: true },
  eq: { params: 2, block: false },
  date: { params: 1, block: false },
  button: { params: 2, block: false },
  quickAnswers: { params: 1, block: false },
  list: { params: 1, block: false },
} as const;
export type MailHelperName = keyof typeof MAIL_HELPERS;

export function isMailHelper(name: string): name is MailHelperName {
  return Object.hasOwn(MAIL_HELPERS, name);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const dateFormat = (locale: string, month: 'numeric' | 'long') =>
  new Intl.DateTimeFormat(locale, { day: 'numeric', month, year: 'numeric', timeZone: 'UTC' });

const DATE_FORMATS: Record<MailLocale, Intl.DateTimeFormat> = {
  fi: dateFormat('fi-FI', 'numeric'),
  sv: dateFormat('sv-FI', 'long'),
  en: dateFormat('en-GB', 'long'),
};

/** `2027-03-31` → fi `31.3.2027`, sv `31 mars 2027`, en `31 March 2027`. A calendar date, no time zone shift. */
export function formatDate(isoDate: unknown, locale: MailLocale): string {
  const [, year, month, day] = (typeof isoDate === 'string' && ISO_DATE.exec(isoDate)) || [];
  const date = new Date(Date.UTC(+year, +month - 1, +day));
  // Date.UTC rolls 2027-02-30 over into March; a day that changed was not a calendar date.
  if (!day || date.getUTCDate() !== +day) {
    throw new Error(`date: expected an ISO date such as 2027-03-31, got ${JSON.stringify(isoDate)}`);
  }
  return DATE_FORMATS[locale].format(date);
}

/** The locale rides in the data frame (`@locale`), so templates write `{{date quarter.endsOn}}`. */
function frameLocale(options: HelperOptions): MailLocale {
  const locale = (options.data as { locale?: MailLocale } | undefined)?.locale;
  return locale && Object.hasOwn(DATE_FORMATS, locale) ? locale : 'en';
}

export function registerMailHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('date', (value: unknown, options: HelperOptions) =>
    formatDate(value, frameLocale(options)),
  );
  handlebars.registerHelper(
    'button',
    (url: unknown, label: unknown) => new handlebars.SafeString(actionButton(url, label)),
  );
  handlebars.registerHelper(
    'quickAnswers',
    (question: unknown) => new handlebars.SafeString(quickAnswerLinks(question)),
  );
  handlebars.registerHelper('list', (items: unknown) => new handlebars.SafeString(bulletList(items)));
  // Handlebars' own iteration, scoping and lookup helpers are not part of the set.
  for (const name of ['each', 'with', 'lookup', 'log']) handlebars.unregisterHelper(name);
}
