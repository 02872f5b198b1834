import { CATALOGUE, NAMESPACES } from './catalogue';
import { formatQuarter, formatPercent } from './format';
import { hasText, languageFromHeader, LANGUAGES, textsFor } from './i18n';

type Tree = { [key: string]: string | Tree };

/** Every leaf key of a namespace, with plural suffixes folded (`people_one` → `people`). */
const keys = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [`${prefix}${key.replace(/_(zero|one|two|few|many|other)$/, '')}`]
      : keys(value, `${prefix}${key}.`),
  );

describe('the text catalogue', () => {
  it.each(NAMESPACES.map((ns) => [ns]))('has every key of namespace %s in fi, sv and en', (ns) => {
    const all = new Set(LANGUAGES.flatMap((language) => keys((CATALOGUE[language][ns] ?? {}) as Tree)));
    const missing = LANGUAGES.flatMap((language) =>
      [...all]
        .filter((key) => !hasText(language, `${ns}:${key}`) && !hasText(language, `${ns}:${key}_other`))
        .map((key) => `${language} ${ns}:${key}`),
    );
    expect(missing).toEqual([]);
  });

  it('has no empty text and the same interpolations in each language', () => {
    const vars = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const problems: string[] = [];
    for (const ns of NAMESPACES) {
      const english = CATALOGUE.en[ns] as Tree;
      for (const key of keys(english)) {
        const en = textsFor('en')(`${ns}:${key}`, { count: 2 });
        for (const language of ['fi', 'sv'] as const) {
          const text = String(
            key
              .split('.')
              .reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], CATALOGUE[language][ns]) ??
              '',
          );
          const enRaw = String(
            key.split('.').reduce<unknown>((node, part) => (node as Tree)?.[part], english) ?? '',
          );
          if (!text && !en) problems.push(`${language} ${ns}:${key} is empty`);
          if (text && enRaw && vars(text).join() !== vars(enRaw).join())
            problems.push(`${language} ${ns}:${key} uses {{${vars(text)}}}, English {{${vars(enRaw)}}}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('counts in Finnish and Swedish as they do', () => {
    expect(textsFor('fi')('common:people', { count: 1 })).toBe('1 henkilö');
    expect(textsFor('fi')('common:people', { count: 5 })).toBe('5 henkilöä');
    expect(textsFor('sv')('common:people', { count: 5 })).toBe('5 personer');
  });

  it('writes quarters and shares as each language does', () => {
    expect(formatQuarter('fi', '2027-Q4')).toBe('Q4/2027');
    expect(formatQuarter('en', '2027-Q4')).toBe('Q4 2027');
    // Finnish puts a (no-break) space before the percent sign; English does not.
    expect(formatPercent('fi', 0.42)).toMatch(/^42\s%$/);
    expect(formatPercent('en', 0.42)).toBe('42%');
  });

  it('picks the best of its languages from an Accept-Language header', () => {
    expect(languageFromHeader('de-DE,sv;q=0.8,en;q=0.5')).toBe('sv');
    expect(languageFromHeader('en;q=0.2, fi-FI')).toBe('fi');
    expect(languageFromHeader('de, fr;q=0.9')).toBeNull();
    expect(languageFromHeader(undefined)).toBeNull();
  });
});
