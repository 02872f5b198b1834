import i18next, { type TFunction } from 'i18next';
import { CATALOGUE, NAMESPACES } from './catalogue';

/** The languages Luotsi speaks; English is also the fallback for a key a catalogue lacks. */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** BCP 47 tags for Intl: Swedish here is Finland's Swedish. */
const TAGS: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
export const languageTag = (language: Language): string => TAGS[language];

// One instance for the process, initialised synchronously from the bundled catalogue. Values are not
// escaped here: every caller renders through Handlebars, which escapes once.
const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  resources: CATALOGUE,
  ns: [...NAMESPACES],
  defaultNS: 'common',
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
});

// Made once per language: a page asks for its text function for every text it shows.
const fixed = new Map<Language, TFunction>();

/** The text function of one language: `t('console:signIn.title')`, `t('common:people', { count: 3 })`. */
export const textsFor = (language: Language): TFunction => {
  let t = fixed.get(language);
  if (!t) fixed.set(language, (t = instance.getFixedT(language)));
  return t;
};

/** Whether the catalogue has the key in this language itself (not through the fallback). */
export const hasText = (language: Language, key: string): boolean =>
  instance.exists(key, { lng: language, fallbackLng: [] });

/**
 * The best of our languages for an Accept-Language header (`fi-FI,fi;q=0.9,en;q=0.8`), or null when it
 * names none of them.
 */
export function languageFromHeader(header: string | undefined): Language | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { language: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q) : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.language).find(isLanguage) ?? null;
}

/** One value per language built from its texts, e.g. a page's words for fi, sv and en. */
export function inEachLanguage<T>(build: (t: TFunction, language: Language) => T): Record<Language, T> {
  return {
    fi: build(textsFor('fi'), 'fi'),
    sv: build(textsFor('sv'), 'sv'),
    en: build(textsFor('en'), 'en'),
  };
}
