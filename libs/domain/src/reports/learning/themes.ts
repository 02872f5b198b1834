import { newStemmer, type Stemmer } from 'snowball-stemmers';
import { eng, fin, swe } from 'stopword';
import { LOCALES, type Locale } from '@luotsi/database';
import type { QuestionThemes, Theme } from '../report-content';
import { hiddenTheme, publishableGroups } from '../publication/publication-policy';
import type { LocalizedText } from '../../surveys';

export const TOP_TERMS = 10;
/** A two-word phrase is shown once at least this many answers use it: one answer's phrase is no theme. */
export const MIN_PHRASE_ANSWERS = 2;
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

/**
 * Snowball stemmers (the `snowball-stemmers` port of snowballstem.org: Finnish, Swedish, English
 * "Porter2"), so inflections count as one term: "tavoitteet", "tavoitteita" and "tavoitteiden" all
 * give "tavoit". A stemmer is stateless between calls and the build runs on one thread.
 */
const STEMMERS: Record<Locale, Stemmer> = {
  fi: newStemmer('finnish'),
  sv: newStemmer('swedish'),
  en: newStemmer('english'),
};

export const stemOf = (word: string, locale: Locale): string => STEMMERS[locale].stem(word);

/** Words as runs of letters, kept together across an inner hyphen or apostrophe (check-ins, didn't). */
const WORD = /\p{L}+(?:['-]\p{L}+)*/gu;

/** What ends a clause: the words on either side of it make no phrase ("selkeät. Mittarit"). */
const CLAUSE_END = /[.,;:!?()[\]{}"“”„«»…–—\r\n]|\s-\s/u;

export function tokenize(text: string, locale: Locale): string[] {
  return text.toLocaleLowerCase(locale).replace(/[’‘]/g, "'").match(WORD) ?? [];
}

/** A term counts when it is two letters or more and not a stop word. */
const isTerm = (word: string, locale: Locale) => Array.from(word).length >= 2 && !isStopWord(word, locale);

/** A term or phrase of one answer: its stem (what is counted) and the words as written (what is shown). */
export interface AnswerTerms {
  /** Stem → the word as the answer wrote it (lower-cased), first occurrence. */
  terms: Map<string, string>;
  /** "stem stem" → "word word". */
  phrases: Map<string, string>;
}

/**
 * The terms and two-word phrases of one answer, each once (an answer counts a term once), keyed by
 * stem. A phrase is two terms next to each other within a clause; stop words and punctuation break it,
 * and a word repeated ("focus focus") is no phrase.
 */
export function termsOf(text: string, locale: Locale): AnswerTerms {
  const terms = new Map<string, string>();
  const phrases = new Map<string, string>();
  for (const clause of text.split(CLAUSE_END)) {
    const words = tokenize(clause, locale).map((word) => ({
      word,
      stem: isTerm(word, locale) ? stemOf(word, locale) : null,
    }));
    words.forEach(({ word, stem }, i) => {
      if (stem === null) return;
      if (!terms.has(stem)) terms.set(stem, word);
      const next = words[i + 1];
      if (next?.stem && next.stem !== stem && !phrases.has(`${stem} ${next.stem}`))
        phrases.set(`${stem} ${next.stem}`, `${word} ${next.word}`);
    });
  }
  return { terms, phrases };
}

export interface Counted {
  /** The stem (or stems) counted. */
  key: string;
  /** How it is shown: the form most answers wrote, the first in the language's order on a tie. */
  text: string;
  count: number;
}

/** Counts per stem of the answers using it, and per stem the answers using each written form. */
class Tally {
  private readonly counts = new Map<string, number>();
  private readonly forms = new Map<string, Map<string, number>>();

  add(found: Map<string, string>): void {
    for (const [key, form] of found) {
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      const forms = this.forms.get(key) ?? new Map<string, number>();
      forms.set(form, (forms.get(form) ?? 0) + 1);
      this.forms.set(key, forms);
    }
  }

  /** Most answers first, then alphabetically in the language; the first `limit` of at least `min`. */
  top(locale: Locale, limit = TOP_TERMS, min = 1): Counted[] {
    const byLanguage = (a: string, b: string) => a.localeCompare(b, locale);
    return [...this.counts]
      .filter(([, count]) => count >= min)
      .map(([key, count]) => {
        const [text] = [...this.forms.get(key)!].sort((a, b) => b[1] - a[1] || byLanguage(a[0], b[0]))[0];
        return { key, text, count };
      })
      .sort((a, b) => b.count - a.count || byLanguage(a.text, b.text))
      .slice(0, limit);
  }
}

/**
 * Up to three answers, one for each of the most frequent terms in turn that no chosen quote holds yet:
 * of the answers with that term, the one carrying the most of the top terms (then the shorter). Only
 * quotable answers are considered.
 */
function representativeQuotes(answers: (FreeTextAnswer & { stems: Set<string> })[], terms: Counted[]): string[] {
  const weight = new Map(terms.map((term) => [term.key, term.count]));
  const candidates = answers
    .filter((answer) => answer.quotable)
    .map((answer) => ({
      quote: trimQuote(answer.text),
      stems: answer.stems,
      score: [...answer.stems].reduce((sum, stem) => sum + (weight.get(stem) ?? 0), 0),
    }))
    .sort((a, b) => b.score - a.score || a.quote.length - b.quote.length || a.quote.localeCompare(b.quote));
  const chosen: typeof candidates = [];
  for (const { key } of terms) {
    if (chosen.length === MAX_QUOTES) break;
    if (chosen.some((quote) => quote.stems.has(key))) continue;
    const pick = candidates.find((c) => c.stems.has(key) && !chosen.some((quote) => quote.quote === c.quote));
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
 * Themes of one language's answers to one question: the words (grouped by stem, shown as most wrote
 * them) and two-word phrases (used in at least two answers) the most answers use, and up to three
 * answers that carry the most of those words. A group of fewer than k answers gets nothing — no terms,
 * no quotes, no count — since even its words could point to a person.
 */
export function themeOf(locale: Locale, responses: number, answers: FreeTextAnswer[], minGroupSize: number): Theme {
  if (responses < minGroupSize) return hiddenTheme(locale);
  const terms = new Tally();
  const phrases = new Tally();
  const parsed = answers.map((answer) => {
    const found = termsOf(answer.text, locale);
    terms.add(found.terms);
    phrases.add(found.phrases);
    return { ...answer, stems: new Set(found.terms.keys()) };
  });
  const top = terms.top(locale);
  return {
    locale,
    responses,
    terms: top.map(({ text, count }) => ({ term: text, count })),
    phrases: phrases.top(locale, TOP_TERMS, MIN_PHRASE_ANSWERS).map(({ text, count }) => ({ phrase: text, count })),
    quotes: representativeQuotes(parsed, top),
    suppressed: false,
  };
}

/** One free-text answer to a question as the themes read it: its language decides stemmer and stop words. */
export interface QuestionAnswer extends FreeTextAnswer {
  locale: Locale;
}

/**
 * The languages of a question whose answers may be read and shown: each with at least k answers, and
 * none whose hiding could be undone as "the question's answers minus the languages shown".
 */
export function shownLanguages(counts: ReadonlyMap<Locale, number>, minGroupSize: number): Set<Locale> {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  return publishableGroups(
    LOCALES.map((locale) => ({ key: locale, n: counts.get(locale) ?? 0 })),
    total,
    minGroupSize,
  );
}

/**
 * The themes of one free-text question: each language of its answers apart, every language listed
 * (one with no answers looks like one under k). `counts` are the answers with text per language;
 * `answers` the texts read, of the `shownLanguages` only. A question with fewer than k answers, or
 * with no language shown, shows nothing.
 */
export function questionThemesOf(
  question: { key: string; text: LocalizedText },
  counts: ReadonlyMap<Locale, number>,
  answers: QuestionAnswer[],
  minGroupSize: number,
): QuestionThemes {
  const responses = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const shown = responses < minGroupSize ? new Set<Locale>() : shownLanguages(counts, minGroupSize);
  const languages = LOCALES.map((locale) =>
    shown.has(locale)
      ? themeOf(
          locale,
          counts.get(locale) ?? 0,
          answers.filter((answer) => answer.locale === locale),
          minGroupSize,
        )
      : hiddenTheme(locale),
  );
  const suppressed = shown.size === 0;
  return { key: question.key, text: question.text, responses: suppressed ? 0 : responses, languages, suppressed };
}
