import { LOCALES } from '@luotsi/database';
import {
  ADKAR_ELEMENTS,
  BUILTIN_QUESTION_SET,
  BUILTIN_QUESTION_SET_REF,
  LIKERT_LABELS,
  normalizeAnswers,
  Question,
  SCALE_LABELS,
  scaleLabels,
  validateAnswers,
  validateQuestions,
} from './question-set';

const text = (en: string) => ({ fi: `${en} (fi)`, sv: `${en} (sv)`, en });

const likert = (key: string, extra: Partial<Question> = {}): Question => ({
  key,
  type: 'likert5',
  section: 'process',
  text: text(`Statement ${key}`),
  required: false,
  ...extra,
});

const choice = (key: string): Question => ({
  key,
  type: 'single_choice',
  section: 'choice',
  text: text('Pick one'),
  required: false,
  options: [
    { key: 'a', text: text('A') },
    { key: 'b', text: text('B') },
  ],
});

/** The issues of a list whose only fault is in its one question. */
const issuesOf = (question: unknown) => validateQuestions([question]);
const fields = (question: unknown) => issuesOf(question).map((issue) => issue.field);

describe('the built-in question set', () => {
  const questions = BUILTIN_QUESTION_SET.questions;

  it('validates clean', () => {
    expect(validateQuestions(questions)).toEqual([]);
    expect(BUILTIN_QUESTION_SET.ref).toBe(BUILTIN_QUESTION_SET_REF);
    expect(BUILTIN_QUESTION_SET.name).toBeTruthy();
    expect(BUILTIN_QUESTION_SET.description).toBeTruthy();
  });

  it('has the sections of an end-of-quarter retrospective, the first statement required', () => {
    const of = (section: string) => questions.filter((q) => q.section === section);
    expect(of('process').length).toBeGreaterThanOrEqual(4);
    expect(of('process').length).toBeLessThanOrEqual(5);
    expect(of('process').every((q) => q.type === 'likert5')).toBe(true);
    expect(of('confidence').map((q) => q.type)).toEqual(['scale10']);
    expect(of('recommendation').map((q) => q.type)).toEqual(['nps']);
    expect(of('adkar').map((q) => q.adkar)).toEqual([...ADKAR_ELEMENTS]);
    expect(of('choice').length).toBeGreaterThanOrEqual(1);
    expect(of('choice').every((q) => q.type === 'single_choice')).toBe(true);
    expect(of('reflection').map((q) => [q.type, q.required])).toEqual([
      ['free_text', false],
      ['free_text', false],
      ['free_text', false],
    ]);
    expect(questions[0]).toMatchObject({ section: 'process', type: 'likert5', required: true });
  });

  it('speaks Finnish, Swedish and English, each text its own', () => {
    for (const question of questions) {
      const texts = LOCALES.map((locale) => question.text[locale]);
      expect(new Set(texts).size).toBe(3);
      for (const option of question.options ?? []) expect(new Set(Object.values(option.text)).size).toBe(3);
    }
    expect(questions[0].text.en).toBe('Our OKRs guided my weekly priorities.');
  });

  it('cannot be changed by accident', () => {
    expect(() => {
      (questions[0] as { required: boolean }).required = false;
    }).toThrow(TypeError);
    expect(questions[0].required).toBe(true);
  });
});

describe('scale labels', () => {
  it('name the five points of agreement and the ends of 0–10 in every locale', () => {
    for (const locale of LOCALES) {
      expect(LIKERT_LABELS[locale]).toHaveLength(5);
      expect(new Set(LIKERT_LABELS[locale]).size).toBe(5);
    }
    expect(LIKERT_LABELS.en[0]).toBe('Strongly disagree');
    expect(LIKERT_LABELS.fi[4]).toBe('Täysin samaa mieltä');
    expect(SCALE_LABELS.en.nps).toEqual({ low: 'Not at all likely', high: 'Extremely likely' });
    expect(scaleLabels({ type: 'scale10', section: 'confidence' }, 'en')).toEqual({
      low: 'No confidence',
      high: 'Full confidence',
    });
    expect(scaleLabels({ type: 'nps', section: 'recommendation' }, 'sv')).toBe(SCALE_LABELS.sv.nps);
    expect(scaleLabels({ type: 'scale10', section: 'process' }, 'fi')).toBe(SCALE_LABELS.fi.scale10);
    expect(scaleLabels({ type: 'likert5', section: 'process' }, 'fi')).toBeNull();
  });
});

describe('validateQuestions', () => {
  it('wants a list of 1 to 40 questions', () => {
    expect(validateQuestions({})).toEqual([{ field: 'questions', reason: expect.stringMatching(/list/) }]);
    expect(validateQuestions([])).toEqual([{ field: 'questions', reason: 'at least one question' }]);
    const many = Array.from({ length: 41 }, (_, i) => likert(`q${i}`));
    expect(validateQuestions(many)).toEqual([{ field: 'questions', reason: 'at most 40 questions' }]);
    expect(validateQuestions(many.slice(0, 40))).toEqual([]);
  });

  it('wants each question to be an object', () => {
    expect(validateQuestions([likert('a'), 'b', null])).toEqual([
      { field: 'questions[1]', reason: 'must be a question object' },
      { field: 'questions[2]', reason: 'must be a question object' },
    ]);
  });

  it('refuses unknown properties, at every level', () => {
    expect(fields({ ...likert('a'), maxLength: 100 })).toEqual(['questions[0].maxLength']);
    expect(fields({ ...likert('a'), text: { ...text('x'), de: 'Aussage' } })).toEqual([
      'questions[0].text.de',
    ]);
    const withColour = choice('c');
    (withColour.options![1] as unknown as Record<string, unknown>).colour = 'red';
    expect(fields(withColour)).toEqual(['questions[0].options[1].colour']);
  });

  it('checks keys: their shape and that they are unique', () => {
    for (const key of ['', 'Q1', '1q', 'q-1', 'a'.repeat(41), 42, undefined])
      expect(fields({ ...likert('a'), key })).toEqual(['questions[0].key']);
    expect(fields(likert('a'.repeat(40)))).toEqual([]);
    expect(validateQuestions([likert('a'), likert('b'), likert('a')])).toEqual([
      { field: 'questions[2].key', reason: '"a" is used by another question' },
    ]);
  });

  it('knows the types and the sections', () => {
    expect(issuesOf({ ...likert('a'), type: 'matrix' })).toEqual([
      { field: 'questions[0].type', reason: 'one of likert5, scale10, nps, single_choice, free_text' },
    ]);
    expect(fields({ ...likert('a'), section: 'misc' })).toEqual(['questions[0].section']);
    expect(fields({ ...likert('a'), type: undefined, section: undefined })).toEqual([
      'questions[0].type',
      'questions[0].section',
    ]);
  });

  it('wants every text in fi, sv and en, non-empty and at most 500 characters', () => {
    expect(issuesOf({ ...likert('a'), text: { fi: 'Väite', en: 'Statement' } })).toEqual([
      { field: 'questions[0].text.sv', reason: 'required: the text in this language' },
    ]);
    expect(fields({ ...likert('a'), text: { fi: '  ', sv: 'Påstående', en: 'Statement' } })).toEqual([
      'questions[0].text.fi',
    ]);
    expect(fields({ ...likert('a'), text: { ...text('x'), en: 7 } })).toEqual(['questions[0].text.en']);
    expect(issuesOf({ ...likert('a'), text: { ...text('x'), en: 'x'.repeat(501) } })).toEqual([
      { field: 'questions[0].text.en', reason: 'at most 500 characters' },
    ]);
    expect(fields({ ...likert('a'), text: { ...text('x'), en: 'ä'.repeat(500) } })).toEqual([]);
    expect(fields({ ...likert('a'), text: 'Statement' })).toEqual(['questions[0].text']);
    expect(fields({ ...likert('a'), text: undefined })).toEqual(['questions[0].text']);
  });

  it('wants `required` to be true or false', () => {
    expect(fields({ ...likert('a'), required: 'yes' })).toEqual(['questions[0].required']);
    expect(fields({ ...likert('a'), required: undefined })).toEqual(['questions[0].required']);
  });

  it('gives options to single_choice questions only, 2 to 10 of them, with unique keys and every locale', () => {
    expect(issuesOf({ ...choice('c'), options: undefined })).toEqual([
      { field: 'questions[0].options', reason: 'a single_choice question needs 2 to 10 options' },
    ]);
    expect(fields({ ...choice('c'), options: 'a,b' })).toEqual(['questions[0].options']);
    expect(fields({ ...choice('c'), options: [{ key: 'a', text: text('A') }] })).toEqual([
      'questions[0].options',
    ]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ key: `o${i}`, text: text(`O${i}`) }));
    expect(fields({ ...choice('c'), options: eleven })).toEqual(['questions[0].options']);
    expect(fields({ ...choice('c'), options: eleven.slice(0, 10) })).toEqual([]);
    expect(
      issuesOf({
        ...choice('c'),
        options: [
          { key: 'a', text: text('A') },
          { key: 'a', text: text('B') },
          { key: 'Bad key', text: { fi: 'C', sv: 'C' } },
          'd',
        ],
      }),
    ).toEqual([
      { field: 'questions[0].options[1].key', reason: '"a" is used by another option' },
      { field: 'questions[0].options[2].key', reason: expect.any(String) },
      { field: 'questions[0].options[2].text.en', reason: 'required: the text in this language' },
      { field: 'questions[0].options[3]', reason: 'must be an option object' },
    ]);
    for (const type of ['likert5', 'scale10', 'nps', 'free_text'])
      expect(issuesOf({ ...choice('c'), type, section: 'process' })).toEqual([
        { field: 'questions[0].options', reason: 'only single_choice questions have options' },
      ]);
  });

  it('has no settings for free text (its answers are at most 2000 characters, always)', () => {
    const free = { ...likert('f'), type: 'free_text', section: 'reflection' };
    expect(fields(free)).toEqual([]);
    expect(fields({ ...free, maxLength: 5000 })).toEqual(['questions[0].maxLength']);
  });

  it('ties ADKAR elements to likert5 statements of the adkar section', () => {
    const adkar = likert('aw', { section: 'adkar', adkar: 'awareness' });
    expect(fields(adkar)).toEqual([]);
    expect(issuesOf({ ...adkar, adkar: undefined })).toEqual([
      {
        field: 'questions[0].adkar',
        reason:
          'an adkar question names its element: one of awareness, desire, knowledge, ability, reinforcement',
      },
    ]);
    expect(fields({ ...adkar, adkar: 'attitude' })).toEqual(['questions[0].adkar']);
    expect(issuesOf({ ...adkar, type: 'scale10' })).toEqual([
      { field: 'questions[0].type', reason: 'adkar questions are likert5 statements' },
    ]);
    expect(issuesOf(likert('p', { adkar: 'desire' }))).toEqual([
      { field: 'questions[0].adkar', reason: 'only questions of the adkar section name an ADKAR element' },
    ]);
  });

  it('reports every problem at once', () => {
    expect(
      validateQuestions([
        likert('ok'),
        { ...likert('a'), text: { fi: 'Väite', en: 'Statement' } },
        { ...choice('c'), options: undefined },
        likert('aw', { section: 'adkar' }),
        { ...likert('x'), type: 'ranking' },
      ]).map((issue) => issue.field),
    ).toEqual(['questions[1].text.sv', 'questions[2].options', 'questions[3].adkar', 'questions[4].type']);
  });
});

describe('validateAnswers', () => {
  const questions: Question[] = [
    likert('first', { required: true }),
    { key: 'confidence', type: 'scale10', section: 'confidence', text: text('Confidence'), required: true },
    { key: 'nps', type: 'nps', section: 'recommendation', text: text('Recommend'), required: false },
    choice('often'),
    { key: 'worked', type: 'free_text', section: 'reflection', text: text('What worked'), required: false },
    { key: 'change', type: 'free_text', section: 'reflection', text: text('Change'), required: true },
  ];
  const full = {
    first: '5',
    confidence: '0',
    nps: '10',
    often: 'b',
    worked: 'Weekly check-ins',
    change: 'Less',
  };

  it('accepts a full answer set, and one with only the required answers', () => {
    expect(validateAnswers(questions, full, 'fi')).toEqual([]);
    expect(validateAnswers(questions, { first: '1', confidence: '7', change: 'x' }, 'en')).toEqual([]);
    expect(validateAnswers(questions, { ...full, nps: '', often: '', worked: '   ' }, 'sv')).toEqual([]);
    // JSON numbers are as good as form strings.
    expect(validateAnswers(questions, { ...full, first: 3, confidence: 10 }, 'en')).toEqual([]);
  });

  it('refuses numbers out of range or not whole, with the reason in the given locale', () => {
    expect(validateAnswers(questions, { ...full, first: '6' }, 'fi')).toEqual([
      { field: 'first', reason: 'Valitse vastaus asteikolta 1–5.' },
    ]);
    expect(validateAnswers(questions, { ...full, first: '0' }, 'en')).toEqual([
      { field: 'first', reason: 'Choose an answer from 1 to 5.' },
    ]);
    expect(validateAnswers(questions, { ...full, confidence: '11' }, 'sv')).toEqual([
      { field: 'confidence', reason: 'Välj ett svar på skalan 0–10.' },
    ]);
    for (const value of ['2.5', '-1', 'abc', '3e0', '+3', 2.5, ['3', '4']])
      expect(validateAnswers(questions, { ...full, nps: value }, 'en')).toEqual([
        { field: 'nps', reason: 'Choose an answer from 0 to 10.' },
      ]);
  });

  it('refuses an option that is not offered', () => {
    expect(validateAnswers(questions, { ...full, often: 'c' }, 'fi')).toEqual([
      { field: 'often', reason: 'Valitse jokin annetuista vaihtoehdoista.' },
    ]);
    expect(validateAnswers(questions, { ...full, often: 'A' }, 'sv')).toEqual([
      { field: 'often', reason: 'Välj ett av alternativen.' },
    ]);
  });

  it('wants the required questions answered', () => {
    expect(validateAnswers(questions, { first: ' ', often: 'a' }, 'fi')).toEqual([
      { field: 'first', reason: 'Valitse vastaus.' },
      { field: 'confidence', reason: 'Valitse vastaus.' },
      { field: 'change', reason: 'Kirjoita vastaus.' },
    ]);
    expect(validateAnswers(questions, {}, 'sv').map((issue) => issue.reason)).toEqual([
      'Välj ett svar.',
      'Välj ett svar.',
      'Skriv ett svar.',
    ]);
    expect(validateAnswers(questions, { ...full, first: undefined }, 'en')).toEqual([
      { field: 'first', reason: 'Choose an answer.' },
    ]);
  });

  it('refuses free text over 2000 characters, counted after trimming, a line break as one', () => {
    const long = 'ö'.repeat(2001);
    expect(validateAnswers(questions, { ...full, worked: long }, 'fi')).toEqual([
      { field: 'worked', reason: 'Vastaus on liian pitkä (enintään 2000 merkkiä).' },
    ]);
    expect(validateAnswers(questions, { ...full, worked: long }, 'sv')).toEqual([
      { field: 'worked', reason: 'Svaret är för långt (högst 2000 tecken).' },
    ]);
    expect(validateAnswers(questions, { ...full, worked: long }, 'en')).toEqual([
      { field: 'worked', reason: 'The answer is too long (at most 2000 characters).' },
    ]);
    expect(validateAnswers(questions, { ...full, worked: `  ${'x'.repeat(2000)}\n ` }, 'en')).toEqual([]);
    expect(validateAnswers(questions, { ...full, worked: 'line\r\n'.repeat(400).trim() }, 'en')).toEqual([]);
    expect(validateAnswers(questions, { ...full, worked: '👍'.repeat(2000) }, 'en')).toEqual([]);
  });

  it('refuses answers to questions that are not in the set', () => {
    expect(validateAnswers(questions, { ...full, mood: '3', __proto__x: 'y' }, 'en')).toEqual([
      { field: 'mood', reason: 'This question is not part of the survey.' },
      { field: '__proto__x', reason: 'This question is not part of the survey.' },
    ]);
    expect(validateAnswers(questions, { ...full, mood: '3' }, 'fi')).toEqual([
      { field: 'mood', reason: 'Tätä kysymystä ei ole tässä kyselyssä.' },
    ]);
  });

  it('accepts a full answer to the built-in set', () => {
    const builtIn = BUILTIN_QUESTION_SET.questions;
    const answers = Object.fromEntries(
      builtIn.map((q) => [
        q.key,
        q.type === 'single_choice' ? q.options![0].key : q.type === 'free_text' ? 'Selkeät tavoitteet' : '4',
      ]),
    );
    expect(validateAnswers(builtIn, answers, 'fi')).toEqual([]);
    expect(validateAnswers(builtIn, { [builtIn[0].key]: '5' }, 'en')).toEqual(
      builtIn
        .filter((q, i) => q.required && i > 0)
        .map((q) => ({ field: q.key, reason: 'Choose an answer.' })),
    );
  });
});

describe('normalizeAnswers', () => {
  const questions: Question[] = [
    likert('first', { required: true }),
    { key: 'nps', type: 'nps', section: 'recommendation', text: text('Recommend'), required: false },
    choice('often'),
    { key: 'worked', type: 'free_text', section: 'reflection', text: text('What worked'), required: false },
  ];

  it('turns form strings into numbers, trims text, and gives every question an entry', () => {
    expect(
      normalizeAnswers(questions, { first: ' 4 ', nps: '0', often: 'a', worked: '  Hyvä\r\nrytmi  ' }),
    ).toEqual({
      first: 4,
      nps: 0,
      often: 'a',
      worked: 'Hyvä\nrytmi',
    });
    expect(normalizeAnswers(questions, { first: '2', nps: '', worked: '   ', extra: 'x' })).toEqual({
      first: 2,
      nps: null,
      often: null,
      worked: null,
    });
  });
});
