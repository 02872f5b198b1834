import { LOCALES, type Locale } from '@luotsi/database';
import { publishLearning } from '../publication/publication-policy';
import type { LearningReportContent, QuestionThemes } from '../report-content';
import { currentLearning, type LearningReportContentV1 } from './stored-learning';
import {
  isStopWord,
  questionThemesOf,
  shownLanguages,
  stemOf,
  termsOf,
  themeOf,
  tokenize,
  trimQuote,
  type QuestionAnswer,
} from './themes';

const quotable = (text: string) => ({ text, quotable: true });
const terms = (locale: Locale, texts: string[]) =>
  themeOf(locale, texts.length, texts.map(quotable), 3).terms.map((t) => [t.term, t.count]);
const QUESTION = { key: 'what_worked', text: { fi: 'Mikä toimi?', sv: 'Vad fungerade?', en: 'What worked?' } };

describe('free-text themes', () => {
  it('splits words on anything but letters, keeping inner hyphens and apostrophes', () => {
    expect(tokenize('Check-ins didn’t help; 3 kertaa ÄÄNESTYS!', 'en')).toEqual([
      'check-ins',
      "didn't",
      'help',
      'kertaa',
      'äänestys',
    ]);
  });

  it('drops the stop words of each language, including common inflections', () => {
    expect(isStopWord('ja', 'fi')).toBe(true);
    expect(isStopWord('meidän', 'fi')).toBe(true);
    expect(isStopWord('och', 'sv')).toBe(true);
    expect(isStopWord("didn't", 'en')).toBe(true);
    expect(isStopWord('tavoitteet', 'fi')).toBe(false);
    // A word is a stop word in its own language only.
    expect(isStopWord('the', 'en')).toBe(true);
    expect(isStopWord('the', 'sv')).toBe(false);
    const { terms: found } = termsOf('Me teimme ja tavoitteet olivat selkeät', 'fi');
    expect([...found.values()]).toEqual(['teimme', 'tavoitteet', 'selkeät']);
  });

  it('stems each language with its own Snowball stemmer', () => {
    // The same stem for the inflections of one word, a different one for another word.
    expect(new Set(['tavoitteet', 'tavoitteita', 'tavoitteiden'].map((w) => stemOf(w, 'fi'))).size).toBe(1);
    expect(new Set(['uppföljning', 'uppföljningen', 'uppföljningar'].map((w) => stemOf(w, 'sv'))).size).toBe(1);
    expect(new Set(['focus', 'focused', 'focusing'].map((w) => stemOf(w, 'en'))).size).toBe(1);
    expect(stemOf('tavoitteet', 'fi')).not.toBe(stemOf('palaute', 'fi'));
  });

  it('groups Finnish inflections as one term, shown in the form most answers wrote', () => {
    expect(
      terms('fi', [
        'Tavoitteet olivat selkeät',
        'Tavoitteita oli liikaa',
        'Tavoitteiden seuranta ja palaute toimivat',
        'Palautetta tuli viikoittain',
        'Tavoitteet ja palautteen aikataulu',
      ]),
    ).toEqual([
      // tavoitteet ×2, tavoitteita, tavoitteiden: four answers, shown as "tavoitteet".
      ['tavoitteet', 4],
      // palaute, palautetta, palautteen: one each, so the first alphabetically.
      ['palaute', 3],
      ['aikataulu', 1],
      ['liikaa', 1],
      ['selkeät', 1],
      ['seuranta', 1],
      ['toimivat', 1],
      ['tuli', 1],
      ['viikoittain', 1],
    ]);
  });

  it('groups Swedish inflections as one term', () => {
    expect(
      terms('sv', [
        'Uppföljningen av målen fungerade',
        'Uppföljning med kunderna',
        'Kunden ville ha tydliga mål',
        'Tydligt ansvar och uppföljningar',
      ]),
    ).toEqual([
      ['uppföljning', 3],
      ['kunden', 2],
      ['mål', 2],
      ['tydliga', 2],
      ['ansvar', 1],
      ['fungerade', 1],
      ['ville', 1],
    ]);
  });

  it('groups English inflections as one term', () => {
    expect(
      terms('en', [
        'Goals were clear and focused',
        'Clearly set goals helped the team focus',
        'Weekly meetings kept the focus',
        'The meeting notes were late',
      ]),
    ).toEqual([
      ['focus', 3],
      ['clear', 2],
      ['goals', 2],
      ['meeting', 2],
      ['helped', 1],
      ['kept', 1],
      ['late', 1],
      ['notes', 1],
      ['set', 1],
      ['team', 1],
      ['weekly', 1],
    ].slice(0, 10));
  });

  it('counts two-word phrases once per answer, within a clause, and shows those of at least two answers', () => {
    const theme = themeOf(
      'en',
      4,
      [
        'Weekly check-ins helped the team',
        'Our weekly check-in, team spirit',
        'Team spirit grew. Weekly reviews',
        'Weekly check-ins weekly check-ins',
      ].map(quotable),
      3,
    );
    // "check-ins helped", "spirit grew", "weekly reviews" and "check-ins weekly" are in one answer
    // each; "check-in team" and "grew weekly" span punctuation; "helped the team" has a stop word.
    expect(theme.phrases).toEqual([
      { phrase: 'weekly check-ins', count: 3 },
      { phrase: 'team spirit', count: 2 },
    ]);
    expect([...termsOf('focus focus', 'en').phrases.keys()]).toEqual([]);
  });

  it('counts a term once per answer and ranks by count, then alphabetically', () => {
    const theme = themeOf(
      'en',
      5,
      ['focus focus focus', 'clear focus', 'clear goals', 'goals', 'team'].map(quotable),
      5,
    );
    expect(theme.terms).toEqual([
      { term: 'clear', count: 2 },
      { term: 'focus', count: 2 },
      { term: 'goals', count: 2 },
      { term: 'team', count: 1 },
    ]);
    expect(theme.phrases).toEqual([]);
    // One quote per top term not yet covered: clear (and focus), then goals, then team.
    expect(theme.quotes).toEqual(['clear focus', 'clear goals', 'team']);
  });

  it('gives nothing for fewer than k responses, and never quotes an answer marked unquotable', () => {
    expect(themeOf('sv', 4, [quotable('Tydliga mål')], 5)).toEqual({
      locale: 'sv',
      responses: 0,
      terms: [],
      phrases: [],
      quotes: [],
      suppressed: true,
    });
    const theme = themeOf('fi', 5, [{ text: 'Hallitus kokousti', quotable: false }, quotable('Tiimi')], 5);
    expect(theme.terms.map((t) => t.term)).toEqual(['hallitus', 'kokousti', 'tiimi']);
    expect(theme.quotes).toEqual(['Tiimi']);
  });

  it('trims long quotes at a word boundary to 280 characters', () => {
    const long = 'sana '.repeat(100).trim();
    const quote = trimQuote(long);
    expect(Array.from(quote).length).toBeLessThanOrEqual(280);
    expect(quote.endsWith('sana…')).toBe(true);
    expect(trimQuote('  lyhyt\n vastaus ')).toBe('lyhyt vastaus');
  });
});

describe('themes per question', () => {
  const answers = (locale: Locale, n: number, text: string): QuestionAnswer[] =>
    Array.from({ length: n }, () => ({ locale, text, quotable: true }));
  const counts = (entries: [Locale, number][]) => new Map(entries);

  it('shows each language of a question with at least k answers, and none that subtraction would reveal', () => {
    expect([...shownLanguages(counts([['fi', 7], ['sv', 5]]), 5)]).toEqual(['fi', 'sv']);
    expect([...shownLanguages(counts([['fi', 5]]), 5)]).toEqual(['fi']);
    // Swedish 2 is hidden; Finnish would then give it away (8 − 6), so it goes too.
    expect([...shownLanguages(counts([['fi', 6], ['sv', 2]]), 5)]).toEqual([]);
    // Swedish 2 and English 3 hidden hold 5 together: Finnish can stay.
    expect([...shownLanguages(counts([['fi', 6], ['sv', 2], ['en', 3]]), 5)]).toEqual(['fi']);
  });

  it('builds a question from its own answers, per language, and nothing for a question under k', () => {
    const worked = questionThemesOf(
      QUESTION,
      counts([['fi', 5], ['en', 5]]),
      [...answers('fi', 5, 'Tavoitteet selkeytyivät'), ...answers('en', 5, 'Clear goals')],
      5,
    );
    expect(worked).toMatchObject({ key: 'what_worked', text: QUESTION.text, responses: 10, suppressed: false });
    expect(worked.languages.map((l) => [l.locale, l.suppressed, l.terms.map((t) => t.term)])).toEqual([
      ['fi', false, ['selkeytyivät', 'tavoitteet']],
      ['sv', true, []],
      ['en', false, ['clear', 'goals']],
    ]);
    expect(worked.languages[2].phrases).toEqual([{ phrase: 'clear goals', count: 5 }]);

    const few = questionThemesOf(QUESTION, counts([['fi', 4]]), answers('fi', 4, 'Tavoitteet'), 5);
    expect(few).toEqual({
      key: 'what_worked',
      text: QUESTION.text,
      responses: 0,
      languages: ['fi', 'sv', 'en'].map((locale) => ({
        locale,
        responses: 0,
        terms: [],
        phrases: [],
        quotes: [],
        suppressed: true,
      })),
      suppressed: true,
    });
  });
});

describe('themes as published', () => {
  const language = (locale: Locale, responses: number, term: string) => ({
    locale,
    responses,
    terms: [{ term, count: responses }],
    phrases: [],
    quotes: [`${term}!`],
    suppressed: false,
  });
  const hidden = (locale: Locale) => ({ locale, responses: 0, terms: [], phrases: [], quotes: [], suppressed: true });
  const question = (key: string, responses: number, languages: QuestionThemes['languages']): QuestionThemes => ({
    key,
    text: { fi: key, sv: key, en: key },
    responses,
    languages,
    suppressed: false,
  });
  const report = (themes: QuestionThemes[]) =>
    ({
      version: 2,
      retrospective: { id: 'r', anonymity: 'anonymous', minGroupSize: 5, state: 'closed' },
      quarter: { id: 'q' },
      response: { of: 0, count: 0, rate: null, byLevel: [] },
      questions: [],
      nps: null,
      adkar: [],
      comparison: [],
      practice: { rhythm: { people: [] } },
      themes,
    }) as unknown as LearningReportContent;

  it('applies k to each question and language on its own, and hides what subtraction would reveal', () => {
    const content = report([
      question('worked', 12, [language('fi', 7, 'tavoitteet'), hidden('sv'), language('en', 5, 'focus')]),
      // Stored as if the builder let them through: 4 answers in all; and Swedish 3 beside Finnish 6.
      question('not_worked', 4, [language('fi', 4, 'kiire'), hidden('sv'), hidden('en')]),
      question('change', 9, [language('fi', 6, 'palaute'), language('sv', 3, 'möten'), hidden('en')]),
    ]);
    const coach = publishLearning(content, 'coach').themes;
    expect(coach[0]).toEqual(content.themes[0]);
    expect(coach[1]).toEqual({ ...content.themes[1], responses: 0, languages: LOCALES.map(hidden), suppressed: true });
    expect(coach[2]).toEqual({ ...content.themes[2], responses: 0, languages: LOCALES.map(hidden), suppressed: true });
    const sponsor = publishLearning(content, 'sponsor').themes;
    expect(sponsor.map((q) => [q.key, q.languages.map((l) => l.locale)])).toEqual([['worked', ['fi', 'en']]]);
    // Applying the policy again changes nothing.
    expect(publishLearning(publishLearning(content, 'coach'), 'coach').themes).toEqual(coach);
  });

  it('shows no themes before an anonymous run closes', () => {
    const content = report([question('worked', 12, [language('fi', 12, 'tavoitteet'), hidden('sv'), hidden('en')])]);
    content.retrospective!.state = 'open';
    expect(publishLearning(content, 'coach').themes).toEqual([]);
  });

  it('reads a report stored before themes were per question as one pooled entry', () => {
    const old = {
      ...report([]),
      version: 1,
      themes: [language('fi', 9, 'tavoitteet'), hidden('sv'), language('en', 6, 'focus')],
    } as unknown as LearningReportContentV1;
    const current = currentLearning(old);
    expect(current.version).toBe(2);
    expect(current.themes).toEqual([
      { key: null, text: null, responses: 15, languages: old.themes, suppressed: false },
    ]);
    expect(publishLearning(current, 'sponsor').themes[0].languages.map((l) => l.locale)).toEqual(['fi', 'en']);
    expect(currentLearning({ ...old, themes: [hidden('fi'), hidden('sv'), hidden('en')] }).themes[0]).toMatchObject({
      key: null,
      responses: 0,
      suppressed: true,
    });
    expect(currentLearning({ ...old, themes: [] }).themes).toEqual([]);
  });
});
