import { ERASED_MARK, isQuoteOf, redactPerson, type ErasedPerson } from './report-erasure';
import { trimQuote } from './themes';

const LONG = `${'Weekly check-ins helped the team focus on what mattered most to customers. '.repeat(6)}The end.`;

const person: ErasedPerson = {
  id: '6f1c2b7e-0d1a-4c55-9a43-8e2f0b7c9d11',
  email: 'Ottoline.Brackenridge@heron.example',
  name: 'Ottoline Brackenridge',
  texts: ['The lighthouse   dashboard kept us honest', LONG],
};

describe('isQuoteOf', () => {
  it('knows the answer itself, folded whitespace and a quote cut to length with an ellipsis', () => {
    expect(isQuoteOf('The lighthouse dashboard kept us honest', person.texts)).toBe(true);
    expect(isQuoteOf(trimQuote(LONG), person.texts)).toBe(true);
    expect(trimQuote(LONG).endsWith('…')).toBe(true);
    expect(isQuoteOf('Weekly check-ins helped the team focus', person.texts)).toBe(false);
    expect(isQuoteOf('The lighthouse dashboard', person.texts)).toBe(false);
    expect(isQuoteOf('', person.texts)).toBe(false);
    expect(isQuoteOf('…', person.texts)).toBe(false);
  });
});

describe('redactPerson', () => {
  const content = {
    version: 1,
    practice: {
      rhythm: {
        due: 6,
        done: 4,
        share: 0.6667,
        people: [
          { participantId: person.id, due: 3, done: 1, share: 0.3333 },
          { participantId: 'b1d9a0c2-5a44-4d0c-9a51-2f6e4c3d2a10', due: 3, done: 3, share: 1 },
        ],
      },
    },
    themes: [
      {
        locale: 'en',
        responses: 6,
        terms: [{ term: 'lighthouse', count: 1 }],
        quotes: ['The lighthouse dashboard kept us honest', trimQuote(LONG), 'Shorter meetings helped'],
        suppressed: false,
      },
    ],
    named: [{ quote: 'Someone else said this', name: 'Ottoline Brackenridge' }],
    flags: [{ code: 'x', message: `Owner ottoline.brackenridge@heron.example (${person.id}) never checked in` }],
    owner: 'Ottoline Brackenridge',
  };

  it("takes out their rhythm, their quotes, what names them, and keeps everyone else's", () => {
    const { content: redacted, changed } = redactPerson(content, person);
    expect(changed).toBe(true);
    expect(redacted.practice.rhythm).toEqual({
      due: 6,
      done: 4,
      share: 0.6667,
      people: [{ participantId: 'b1d9a0c2-5a44-4d0c-9a51-2f6e4c3d2a10', due: 3, done: 3, share: 1 }],
    });
    expect(redacted.themes[0].quotes).toEqual(['Shorter meetings helped']);
    // Aggregates stay: the words counted, the responses counted.
    expect(redacted.themes[0].terms).toEqual([{ term: 'lighthouse', count: 1 }]);
    expect(redacted.themes[0].responses).toBe(6);
    expect(redacted.named).toEqual([]);
    expect(redacted.flags[0].message).toBe(`Owner ${ERASED_MARK} (${ERASED_MARK}) never checked in`);
    expect(redacted.owner).toBeNull();
    const text = JSON.stringify(redacted).toLowerCase();
    for (const needle of [person.id, person.email.toLowerCase(), 'brackenridge', 'lighthouse dashboard', 'what mattered'])
      expect(text).not.toContain(needle);
    // The input is left as it was.
    expect(content.themes[0].quotes).toHaveLength(3);
  });

  it('leaves content without them as it is', () => {
    const other = { themes: [{ quotes: ['Shorter meetings helped'] }], people: [{ participantId: 'x' }] };
    const result = redactPerson(other, person);
    expect(result).toEqual({ content: other, changed: false });
    expect(result.content).toBe(other);
  });
});
