import { languageTag, type Language } from './i18n';

/**
 * Intl formatters are costly to build and safe to reuse: a page of dates and shares would otherwise build
 * one per value. Kept by language and options (a handful: three languages, a few time zones and digits).
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${language}|${options.dateStyle}|${options.timeStyle}|${options.timeZone}`;
  let format = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(languageTag(language), options)));
  return format;
}

function numberFormat(language: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${language}|${options.style}|${options.minimumFractionDigits}|${options.maximumFractionDigits}`;
  let format = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.NumberFormat(languageTag(language), options)));
  return format;
}

/** Dates, numbers and quarters as each language writes them. */
export function formatDate(language: Language, value: Date | string | null | undefined): string {
  if (value == null || value === '') return '–';
  const date =
    typeof value === 'string' ? new Date(value.length === 10 ? `${value}T12:00:00Z` : value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return dateFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

export function formatDateTime(
  language: Language,
  value: Date | string | null | undefined,
  timeZone = 'Europe/Helsinki',
): string {
  if (value == null || value === '') return '–';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return dateFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

export function formatNumber(language: Language, value: number | null | undefined, digits = 0): string {
  if (value == null || Number.isNaN(value)) return '–';
  return numberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    value,
  );
}

/**
 * A number with up to `digits` decimals and no trailing zeros ("0,65" in Finnish, "0.65" in English): for
 * stored figures whose precision varies (means, factors, thresholds).
 */
export function formatDecimal(language: Language, value: number | null | undefined, digits = 4): string {
  if (value == null || Number.isNaN(value)) return '–';
  return numberFormat(language, { minimumFractionDigits: 0, maximumFractionDigits: digits }).format(value);
}

/**
 * A share 0–1 as a percent, whole by default: "42 %" in Finnish and Swedish, "42%" in English; with
 * `digits`, exactly that many decimals ("62,5 %").
 */
export function formatPercent(language: Language, share: number | null | undefined, digits = 0): string {
  if (share == null || Number.isNaN(share)) return '–';
  return numberFormat(language, {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share);
}

const lists = new Map<Language, Intl.ListFormat>();

/** Words joined as the language joins them: "a, b ja c", "a, b och c", "a, b and c". */
export function formatList(language: Language, items: readonly string[]): string {
  let format = lists.get(language);
  if (!format)
    lists.set(language, (format = new Intl.ListFormat(languageTag(language), { type: 'conjunction' })));
  return format.format(items);
}

/**
 * A quarter label "2027-Q4" as each language writes it. Finnish writes "Q4/2027" (the slash of "4/2027",
 * as Finnish business writing shortens a period). Our Swedish is Finland's Swedish (sv-FI), whose
 * readers and annual reports follow the same convention, so "Q4/2027" too (Sweden would write
 * "Q4 2027"). English writes "Q4 2027": no slash, which an English reader could take for a date.
 */
export function formatQuarter(language: Language, label: string | null | undefined): string {
  if (!label) return '–';
  const match = /^(\d{4})-Q([1-4])$/.exec(label);
  if (!match) return label;
  const [, year, quarter] = match;
  return language === 'en' ? `Q${quarter} ${year}` : `Q${quarter}/${year}`;
}
