import { eng, fin, swe } from 'stopword';
import type { Locale } from '@luotsi/database';
import type { Theme } from '../report-content';

export const TOP_TERMS = 10;
export const MAX_QUOTES = 3;
export const QUOTE_LENGTH = 280;

/**
 * The `stopword` lists are short for Finnish and miss the pronouns and auxiliaries people write in a
 * retrospective; these add the common forms (inflections, contractions) so they do not top the terms.
 */
const EXTRA_STOP_WORDS: Record<Locale, readonly string[]> = {
  fi: (
    'en et emme ette eivät olen olet olemme olette olisi olisivat olla olleet olin olimme oltu me meidän ' +
    'meille meitä meillä meistä minä minun minulle minua mä sä te teidän heidän niiden niitä niistä niihin ' +
    'niillä ne siitä siihen siinä tämä tätä tässä tästä tähän nämä näitä näistä mikä mitä mistä miten niin ' +
    'vielä aina paljon enemmän vähän hyvin liian jotta koska jos joita joissa voisi voisimme pitäisi pitää ' +
    'täytyy kaikki kaikkien oma omat omia muut muita ehkä nyt sitten tosi jotain jokin joku ihan vaan eikä kyllä'
  ).split(' '),
  sv: (
    'vi vår våra vårt oss mycket lite också bara kanske ju nog mer mest fick får få kunde skulle borde ' +
    'väldigt ganska sådär saker'
  ).split(' '),
  en: (
    "i i'm im it's its it don't didn't doesn't wasn't weren't isn't aren't we're we've they're can't won't " +
    'cannot us just really lot lots bit not no yes so one every less been will let ours am being having ' +
    'does doing which there things thing'
  ).split(' '),
};

const BASE: Record<Locale, readonly string[]> = { fi: fin, sv: swe, en: eng };
const STOP_WORDS: Record<Locale, ReadonlySet<string>> = {
  fi: new Set([...BASE.fi, ...EXTRA_STOP_WORDS.fi]),
  sv: new Set([...BASE.sv, ...EXTRA_STOP_WORDS.sv]),
  en: new Set([...BASE.en, ...EXTRA_STOP_WORDS.en]),
};

export const isStopWord = (word: string, locale: Locale): boolean => STOP_WORDS[locale].has(word);

/** Words as runs of letters, kept together across an inner hyphen or apostrophe (check-ins, didn't). */
const WORD = /\p{L}+(?:['-]\p{L}+)*/gu;

export function tokenize(text: string, locale: Locale): string[] {
  return text.toLocaleLowerCase(locale).replace(/[’‘]/g, "'").match(WORD) ?? [];
}

/** A term counts when it is two letters or more and not a stop word. */
const isTerm = (word: string, locale: Locale) => Array.from(word).length >= 2 && !isStopWord(word, locale);

export interface Counted {
  text: string;
  count: number;
}

/** The terms and two-word phrases of one answer, each once (an answer counts a term once). */
export function termsOf(text: string, locale: Locale): { terms: Set<string>; phrases: Set<string> } {
  const words = tokenize(text, locale);
  const terms = new Set<string>();
  const phrases = new Set<string>();
  words.forEach((word, i) => {
    if (!isTerm(word, locale)) return;
    terms.add(word);
    const next = words[i + 1];
    if (next !== undefined && isTerm(next, locale)) phrases.add(`${word} ${next}`);
  });
  return { terms, phrases };
}

/** Most answers first, then alphabetically in the language; the first `limit`. */
export function top(counts: Map<string, number>, locale: Locale, limit = TOP_TERMS): Counted[] {
  return [...counts]
    .map(([text, count]) => ({ text, count }))
    .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text, locale))
    .slice(0, limit);
}

/**
 * Up to three answers, one for each of the most frequent terms in turn that no chosen quote holds yet:
 * of the answers with that term, the one carrying the most of the top terms (then the shorter). Only
 * quotable answers are considered.
 */
function representativeQuotes(
  answers: (FreeTextAnswer & { terms: Set<string> })[],
  terms: Counted[],
): string[] {
  const weight = new Map(terms.map((term) => [term.text, term.count]));
  const candidates = answers
    .filter((answer) => answer.quotable)
    .map((answer) => ({
      quote: trimQuote(answer.text),
      terms: answer.terms,
      score: [...answer.terms].reduce((sum, term) => sum + (weight.get(term) ?? 0), 0),
    }))
    .sort((a, b) => b.score - a.score || a.quote.length - b.quote.length || a.quote.localeCompare(b.quote));
  const chosen: typeof candidates = [];
  for (const { text } of terms) {
    if (chosen.length === MAX_QUOTES) break;
    if (chosen.some((quote) => quote.terms.has(text))) continue;
    const pick = candidates.find(
      (c) => c.terms.has(text) && !chosen.some((quote) => quote.quote === c.quote),
    );
    if (pick) chosen.push(pick);
  }
  return chosen.map((quote) => quote.quote);
}

/** Shortened at a word boundary to at most `max` characters, with an ellipsis when cut. */
export function trimQuote(text: string, max = QUOTE_LENGTH): string {
  const chars = Array.from(text.trim().replace(/\s+/g, ' '));
  if (chars.length <= max) return chars.join('');
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export interface FreeTextAnswer {
  text: string;
  /** False for an answer from a level with fewer than k responses: its words count, it is never quoted. */
  quotable: boolean;
}

/**
 * Themes of one language's free text: the words and two-word phrases the most answers use, and up to
 * three answers that carry the most of those words. A group of fewer than k responses gets nothing —
 * no terms, no quotes, no count — since even its words could point to a person.
 */
export function themeOf(
  locale: Locale,
  responses: number,
  answers: FreeTextAnswer[],
  minGroupSize: number,
): Theme {
  if (responses < minGroupSize)
    return { locale, responses: 0, terms: [], phrases: [], quotes: [], suppressed: true };
  const termCounts = new Map<string, number>();
  const phraseCounts = new Map<string, number>();
  const parsed = answers.map((answer) => ({ ...answer, ...termsOf(answer.text, locale) }));
  for (const { terms, phrases } of parsed) {
    for (const term of terms) termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
    for (const phrase of phrases) phraseCounts.set(phrase, (phraseCounts.get(phrase) ?? 0) + 1);
  }
  const terms = top(termCounts, locale);
  const quotes = representativeQuotes(parsed, terms);
  return {
    locale,
    responses,
    terms: terms.map(({ text, count }) => ({ term: text, count })),
    phrases: top(phraseCounts, locale).map(({ text, count }) => ({ phrase: text, count })),
    quotes,
    suppressed: false,
  };
}
