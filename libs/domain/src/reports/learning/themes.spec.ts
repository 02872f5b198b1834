import { themeOf, tokenize, trimQuote, termsOf, isStopWord } from './themes';

const quotable = (text: string) => ({ text, quotable: true });

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
    const { terms, phrases } = termsOf('Me teimme ja tavoitteet olivat selkeät selkeät', 'fi');
    expect([...terms]).toEqual(['teimme', 'tavoitteet', 'selkeät']);
    expect([...phrases]).toEqual(['selkeät selkeät']);
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
    expect(theme.phrases).toEqual([
      { phrase: 'clear focus', count: 1 },
      { phrase: 'clear goals', count: 1 },
      { phrase: 'focus focus', count: 1 },
    ]);
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
