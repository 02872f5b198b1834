import { LOCALES, type Locale } from '@luotsi/database';
import type { InputIssue } from '../common/errors';

/**
 * Retrospective questions: their types, the checks made when a coach saves a set and when a participant
 * submits a form, and the built-in end-of-quarter set in Finnish, Swedish and English.
 */

export const QUESTION_TYPES = ['likert5', 'scale10', 'nps', 'single_choice', 'free_text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** The five elements of the ADKAR change model; the readiness report reads one 1–5 rating per element. */
export const ADKAR_ELEMENTS = ['awareness', 'desire', 'knowledge', 'ability', 'reinforcement'] as const;
export type AdkarElement = (typeof ADKAR_ELEMENTS)[number];

export const QUESTION_SECTIONS = [
  'process',
  'confidence',
  'recommendation',
  'adkar',
  'choice',
  'reflection',
] as const;
export type QuestionSection = (typeof QUESTION_SECTIONS)[number];

export interface LocalizedText {
  fi: string;
  sv: string;
  en: string;
}

export interface QuestionOption {
  key: string;
  text: LocalizedText;
}

export interface Question {
  /** Names the answer in a response; unique within the set. */
  key: string;
  type: QuestionType;
  section: QuestionSection;
  text: LocalizedText;
  required: boolean;
  /** single_choice only. */
  options?: QuestionOption[];
  /** Questions of the `adkar` section only (and there required); they are likert5 statements. */
  adkar?: AdkarElement;
}

/** An answer as stored: a number for the numeric types, an option key or a text, null when unanswered. */
export type AnswerValue = number | string | null;

export const QUESTION_KEY = /^[a-z][a-z0-9_]{0,39}$/;
export const MIN_QUESTIONS = 1;
export const MAX_QUESTIONS = 40;
export const MAX_QUESTION_TEXT = 500;
export const MAX_OPTION_TEXT = 200;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 10;
/** The longest free-text answer, in characters. Fixed: a question cannot change it. */
export const MAX_FREE_TEXT_ANSWER = 2000;

/** The answer range of each numeric type. */
export const SCALE_RANGES: Record<'likert5' | 'scale10' | 'nps', { min: number; max: number }> = {
  likert5: { min: 1, max: 5 },
  scale10: { min: 0, max: 10 },
  nps: { min: 0, max: 10 },
};

const QUESTION_PROPERTIES: readonly string[] = [
  'key',
  'type',
  'section',
  'text',
  'required',
  'options',
  'adkar',
];
const OPTION_PROPERTIES: readonly string[] = ['key', 'text'];

type Five = readonly [string, string, string, string, string];

/** The points of the 1–5 agreement scale, from 1 = strongly disagree to 5 = strongly agree. */
export const LIKERT_LABELS: Record<Locale, Five> = {
  fi: [
    'Täysin eri mieltä',
    'Jokseenkin eri mieltä',
    'Ei samaa eikä eri mieltä',
    'Jokseenkin samaa mieltä',
    'Täysin samaa mieltä',
  ],
  sv: [
    'Helt av annan åsikt',
    'Delvis av annan åsikt',
    'Varken av samma eller annan åsikt',
    'Delvis av samma åsikt',
    'Helt av samma åsikt',
  ],
  en: ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'],
};

export interface ScaleEnds {
  /** What 0 means. */
  low: string;
  /** What 10 means. */
  high: string;
}

/**
 * The words at the two ends of a 0–10 scale: `nps` for the recommendation question, `confidence` for a
 * scale10 question of the confidence section, `scale10` for any other 0–10 question.
 */
export const SCALE_LABELS: Record<Locale, Record<'nps' | 'confidence' | 'scale10', ScaleEnds>> = {
  fi: {
    nps: { low: 'En lainkaan todennäköisesti', high: 'Erittäin todennäköisesti' },
    confidence: { low: 'En lainkaan luottavainen', high: 'Täysin luottavainen' },
    scale10: { low: 'Ei lainkaan', high: 'Täysin' },
  },
  sv: {
    nps: { low: 'Inte alls troligt', high: 'Mycket troligt' },
    confidence: { low: 'Inte alls säker', high: 'Helt säker' },
    scale10: { low: 'Inte alls', high: 'Helt och hållet' },
  },
  en: {
    nps: { low: 'Not at all likely', high: 'Extremely likely' },
    confidence: { low: 'No confidence', high: 'Full confidence' },
    scale10: { low: 'Not at all', high: 'Completely' },
  },
};

/** The end labels for a 0–10 question in the given locale; null for the other types. */
export function scaleLabels(question: Pick<Question, 'type' | 'section'>, locale: Locale): ScaleEnds | null {
  if (question.type === 'nps') return SCALE_LABELS[locale].nps;
  if (question.type !== 'scale10') return null;
  return SCALE_LABELS[locale][question.section === 'confidence' ? 'confidence' : 'scale10'];
}

// ---------------------------------------------------------------------------------------------------
// The built-in set
// ---------------------------------------------------------------------------------------------------

export const BUILTIN_QUESTION_SET_REF = 'builtin:end-of-quarter';

export interface BuiltInQuestionSet {
  ref: typeof BUILTIN_QUESTION_SET_REF;
  name: string;
  description: string;
  questions: readonly Question[];
}

const question = (
  key: string,
  type: QuestionType,
  section: QuestionSection,
  text: LocalizedText,
  required: boolean,
  extra: Pick<Question, 'options' | 'adkar'> = {},
): Question => ({ key, type, section, text, required, ...extra });

/** A 1–5 agreement statement. */
const statement = (
  key: string,
  section: 'process' | 'adkar',
  text: LocalizedText,
  extra: { required?: boolean; adkar?: AdkarElement } = {},
): Question =>
  question(key, 'likert5', section, text, extra.required ?? false, extra.adkar ? { adkar: extra.adkar } : {});

/** An optional single choice. */
const choice = (key: string, text: LocalizedText, options: QuestionOption[]): Question =>
  question(key, 'single_choice', 'choice', text, false, { options });

/** An optional open question. */
const reflection = (key: string, text: LocalizedText): Question =>
  question(key, 'free_text', 'reflection', text, false);

const option = (key: string, fi: string, sv: string, en: string): QuestionOption => ({
  key,
  text: { fi, sv, en },
});

/**
 * The end-of-quarter retrospective every workspace starts from. Only the first statement, confidence and
 * the recommendation are required: the agreement scale has no "don't know", so a person who cannot judge
 * a statement may leave it out rather than guess.
 */
export const BUILTIN_QUESTION_SET: BuiltInQuestionSet = deepFreeze({
  ref: BUILTIN_QUESTION_SET_REF,
  name: 'End-of-quarter retrospective',
  description:
    "How the quarter went with OKRs: process health, confidence in next quarter's goals, whether people " +
    'would recommend the way of working, an ADKAR check of readiness for the change, and three open ' +
    'questions. Read-only; copy it to make your own.',
  questions: [
    // (a) Process health, 1–5 agreement.
    statement(
      'okrs_guided_priorities',
      'process',
      {
        fi: 'OKR-tavoitteemme ohjasivat viikoittaisia prioriteettejani.',
        sv: 'Våra OKR:er styrde hur jag prioriterade varje vecka.',
        en: 'Our OKRs guided my weekly priorities.',
      },
      { required: true },
    ),
    statement('checkins_worth_time', 'process', {
      fi: 'Viikkokatsaukset olivat niihin käytetyn ajan arvoisia.',
      sv: 'De veckovisa avstämningarna var värda tiden.',
      en: 'Weekly check-ins were worth the time.',
    }),
    statement('understood_alignment', 'process', {
      fi: 'Ymmärsin, miten avaintuloksemme liittyvät organisaation tavoitteisiin.',
      sv: 'Jag förstod hur våra nyckelresultat hänger ihop med organisationens mål.',
      en: "I understood how our key results connect to the organisation's goals.",
    }),
    statement('discussed_learning', 'process', {
      fi: 'Keskustelimme siitä, mitä opimme, emmekä pelkästään pisteistä.',
      sv: 'Vi pratade om vad vi lärde oss, inte bara om poängen.',
      en: 'We discussed what we learned, not only the scores.',
    }),
    statement('manageable_number', 'process', {
      fi: 'Tavoitteita ja avaintuloksia oli niin vähän, että pystyimme todella keskittymään niihin.',
      sv: 'Vi hade så få mål och nyckelresultat att vi verkligen kunde fokusera på dem.',
      en: 'We had few enough objectives and key results to really focus on them.',
    }),
    // (b) Confidence in the next quarter, 0–10.
    question(
      'confidence_next_quarter',
      'scale10',
      'confidence',
      {
        fi: 'Kuinka luottavainen olet asteikolla 0–10 siihen, että tiimisi saavuttaa seuraavan neljänneksen tavoitteet?',
        sv: 'Hur säker är du på en skala 0–10 på att ditt team når nästa kvartals mål?',
        en: "On a scale of 0–10, how confident are you that your team will reach next quarter's objectives?",
      },
      true,
    ),
    // (c) Net promoter score for the way of working.
    question(
      'recommend_okrs',
      'nps',
      'recommendation',
      {
        fi: 'Kuinka todennäköisesti suosittelisit OKR-työtapaa toiselle tiimille?',
        sv: 'Hur troligt är det att du skulle rekommendera arbetssättet med OKR till ett annat team?',
        en: 'How likely is it that you would recommend the OKR way of working to another team?',
      },
      true,
    ),
    // (d) ADKAR: one statement per element; a rating of 3 or less marks a barrier.
    statement(
      'adkar_awareness',
      'adkar',
      {
        fi: 'Ymmärrän, miksi otamme OKR-mallin käyttöön.',
        sv: 'Jag förstår varför vi går över till OKR.',
        en: 'I understand why we are moving to OKRs.',
      },
      { adkar: 'awareness' },
    ),
    statement(
      'adkar_desire',
      'adkar',
      {
        fi: 'Haluan työskennellä tällä tavalla.',
        sv: 'Jag vill arbeta på det här sättet.',
        en: 'I want to work this way.',
      },
      { adkar: 'desire' },
    ),
    statement(
      'adkar_knowledge',
      'adkar',
      {
        fi: 'Osaan laatia OKR-tavoitteet ja arvioida niiden toteutumisen.',
        sv: 'Jag vet hur man skriver OKR:er och poängsätter dem.',
        en: 'I know how to write and score OKRs.',
      },
      { adkar: 'knowledge' },
    ),
    statement(
      'adkar_ability',
      'adkar',
      {
        fi: 'Minulla on aikaa ja tukea tehdä OKR-työtä käytännössä.',
        sv: 'Jag har tid och stöd för att arbeta med OKR i praktiken.',
        en: 'I have the time and support to work with OKRs in practice.',
      },
      { adkar: 'ability' },
    ),
    statement(
      'adkar_reinforcement',
      'adkar',
      {
        fi: 'OKR-työtä arvostetaan ja sitä seurataan.',
        sv: 'Arbetet med OKR uppmärksammas och följs upp.',
        en: 'Working with OKRs is recognised and followed up.',
      },
      { adkar: 'reinforcement' },
    ),
    // (e) Single choice.
    choice(
      'review_frequency',
      {
        fi: 'Kuinka usein tiimisi kävi OKR-tavoitteensa läpi?',
        sv: 'Hur ofta gick ditt team igenom sina OKR:er?',
        en: 'How often did your team look at its OKRs?',
      },
      [
        option('weekly', 'Viikoittain', 'Varje vecka', 'Every week'),
        option('biweekly', 'Joka toinen viikko', 'Varannan vecka', 'Every two weeks'),
        option('monthly', 'Kerran kuukaudessa', 'En gång i månaden', 'Once a month'),
        option('less_often', 'Harvemmin', 'Mer sällan', 'Less often'),
      ],
    ),
    choice(
      'most_helpful_next',
      {
        fi: 'Mikä auttaisi eniten seuraavalla neljänneksellä?',
        sv: 'Vad skulle hjälpa mest nästa kvartal?',
        en: 'Which would help most next quarter?',
      },
      [
        option('coaching', 'Lisää valmennusta', 'Mer coachning', 'More coaching'),
        option('fewer_key_results', 'Vähemmän avaintuloksia', 'Färre nyckelresultat', 'Fewer key results'),
        option('better_tools', 'Paremmat työkalut', 'Bättre verktyg', 'Better tools'),
        option('more_time', 'Enemmän aikaa OKR-työlle', 'Mer tid för OKR-arbetet', 'More time for OKR work'),
      ],
    ),
    // (f) Free text, all optional.
    reflection('what_worked', {
      fi: 'Mikä toimi hyvin tällä neljänneksellä?',
      sv: 'Vad fungerade bra under kvartalet?',
      en: 'What worked well this quarter?',
    }),
    reflection('what_did_not_work', {
      fi: 'Mikä ei toiminut?',
      sv: 'Vad fungerade inte?',
      en: "What didn't work?",
    }),
    reflection('change_next_quarter', {
      fi: 'Mitä meidän kannattaisi tehdä toisin seuraavalla neljänneksellä?',
      sv: 'Vad borde vi göra annorlunda nästa kvartal?',
      en: 'What should we change next quarter?',
    }),
  ],
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Validation of a set
// ---------------------------------------------------------------------------------------------------

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const includes = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

/** Characters as a person counts them (an emoji is one). */
const length = (text: string) => [...text].length;

/**
 * Checks a list of questions as a coach saves it: every problem at once, each with its path, e.g.
 * `questions[3].text.sv` or `questions[0].options[1].key`.
 */
export function validateQuestions(questions: unknown): InputIssue[] {
  if (!Array.isArray(questions)) return [{ field: 'questions', reason: 'must be a list of questions' }];
  const issues: InputIssue[] = [];
  if (questions.length < MIN_QUESTIONS) issues.push({ field: 'questions', reason: 'at least one question' });
  if (questions.length > MAX_QUESTIONS)
    issues.push({ field: 'questions', reason: `at most ${MAX_QUESTIONS} questions` });
  const keys = new Set<string>();
  questions.forEach((question: unknown, i) => {
    const at = (path: string, reason: string) => issues.push({ field: `questions[${i}]${path}`, reason });
    if (!isRecord(question)) return at('', 'must be a question object');
    for (const property of Object.keys(question))
      if (!QUESTION_PROPERTIES.includes(property)) at(`.${property}`, 'unknown property');

    const { key, type, section, text, required, options, adkar } = question;
    if (typeof key !== 'string' || !QUESTION_KEY.test(key))
      at('.key', 'a lower-case letter, then letters, digits or _; at most 40 characters');
    else if (keys.has(key)) at('.key', `"${key}" is used by another question`);
    else keys.add(key);

    const knownType = includes(QUESTION_TYPES, type);
    if (!knownType) at('.type', `one of ${QUESTION_TYPES.join(', ')}`);
    if (!includes(QUESTION_SECTIONS, section)) at('.section', `one of ${QUESTION_SECTIONS.join(', ')}`);
    checkText(text, MAX_QUESTION_TEXT, (path, reason) => at(`.text${path}`, reason));
    if (typeof required !== 'boolean') at('.required', 'must be true or false');

    if (type === 'single_choice') {
      checkOptions(options, (path, reason) => at(`.options${path}`, reason));
    } else if (knownType && options !== undefined) {
      at('.options', 'only single_choice questions have options');
    }

    if (section === 'adkar') {
      if (adkar === undefined)
        at('.adkar', `an adkar question names its element: one of ${ADKAR_ELEMENTS.join(', ')}`);
      else if (!includes(ADKAR_ELEMENTS, adkar)) at('.adkar', `one of ${ADKAR_ELEMENTS.join(', ')}`);
      if (knownType && type !== 'likert5') at('.type', 'adkar questions are likert5 statements');
    } else if (adkar !== undefined) {
      at('.adkar', 'only questions of the adkar section name an ADKAR element');
    }
  });
  return issues;
}

type At = (path: string, reason: string) => void;

function checkText(text: unknown, max: number, at: At): void {
  if (!isRecord(text)) return at('', `needs a text in each of ${LOCALES.join(', ')}`);
  for (const property of Object.keys(text))
    if (!includes(LOCALES, property)) at(`.${property}`, `unknown language; use ${LOCALES.join(', ')}`);
  for (const locale of LOCALES) {
    const value = text[locale];
    if (typeof value !== 'string' || !value.trim()) at(`.${locale}`, 'required: the text in this language');
    else if (length(value) > max) at(`.${locale}`, `at most ${max} characters`);
  }
}

function checkOptions(options: unknown, at: At): void {
  if (options === undefined)
    return at('', `a single_choice question needs ${MIN_OPTIONS} to ${MAX_OPTIONS} options`);
  if (!Array.isArray(options)) return at('', 'must be a list of options');
  if (options.length < MIN_OPTIONS || options.length > MAX_OPTIONS)
    at('', `${MIN_OPTIONS} to ${MAX_OPTIONS} options`);
  const keys = new Set<string>();
  options.forEach((option: unknown, j) => {
    const here = (path: string, reason: string) => at(`[${j}]${path}`, reason);
    if (!isRecord(option)) return here('', 'must be an option object');
    for (const property of Object.keys(option))
      if (!OPTION_PROPERTIES.includes(property)) here(`.${property}`, 'unknown property');
    if (typeof option.key !== 'string' || !QUESTION_KEY.test(option.key))
      here('.key', 'a lower-case letter, then letters, digits or _; at most 40 characters');
    else if (keys.has(option.key)) here('.key', `"${option.key}" is used by another option`);
    else keys.add(option.key);
    checkText(option.text, MAX_OPTION_TEXT, (path, reason) => here(`.text${path}`, reason));
  });
}

// ---------------------------------------------------------------------------------------------------
// Validation of a participant's answers
// ---------------------------------------------------------------------------------------------------

interface AnswerReasons {
  choose: string;
  write: string;
  range: (min: number, max: number) => string;
  option: string;
  tooLong: (max: number) => string;
  unknown: string;
}

/** What a participant reads next to a field that needs another look. */
const ANSWER_REASONS: Record<Locale, AnswerReasons> = {
  fi: {
    choose: 'Valitse vastaus.',
    write: 'Kirjoita vastaus.',
    range: (min, max) => `Valitse vastaus asteikolta ${min}–${max}.`,
    option: 'Valitse jokin annetuista vaihtoehdoista.',
    tooLong: (max) => `Vastaus on liian pitkä (enintään ${max} merkkiä).`,
    unknown: 'Tätä kysymystä ei ole tässä kyselyssä.',
  },
  sv: {
    choose: 'Välj ett svar.',
    write: 'Skriv ett svar.',
    range: (min, max) => `Välj ett svar på skalan ${min}–${max}.`,
    option: 'Välj ett av alternativen.',
    tooLong: (max) => `Svaret är för långt (högst ${max} tecken).`,
    unknown: 'Frågan finns inte i den här enkäten.',
  },
  en: {
    choose: 'Choose an answer.',
    write: 'Write an answer.',
    range: (min, max) => `Choose an answer from ${min} to ${max}.`,
    option: 'Choose one of the options.',
    tooLong: (max) => `The answer is too long (at most ${max} characters).`,
    unknown: 'This question is not part of the survey.',
  },
};

/**
 * A submitted value as text: trimmed, line breaks as `\n` (a browser sends a textarea's as `\r\n`).
 * Missing and blank values are ''; values a form cannot send (lists, objects) are undefined.
 */
function formText(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  return value.replace(/\r\n?/g, '\n').trim();
}

/** A whole number written plainly (`3`, not `3.0`, `+3` or `3e0`), or undefined. */
function wholeNumber(text: string): number | undefined {
  return /^\d{1,3}$/.test(text) ? Number(text) : undefined;
}

/**
 * Checks a participant's submitted form values against the questions. Each issue names the question key,
 * with a short reason in the participant's language.
 */
export function validateAnswers(
  questions: readonly Question[],
  answers: Record<string, unknown>,
  locale: Locale,
): InputIssue[] {
  const reasons = ANSWER_REASONS[locale] ?? ANSWER_REASONS.en;
  const issues: InputIssue[] = [];
  const known = new Set(questions.map((question) => question.key));
  for (const question of questions) {
    const refuse = (reason: string) => issues.push({ field: question.key, reason });
    const text = formText(answers[question.key]);
    if (text === '') {
      if (question.required) refuse(question.type === 'free_text' ? reasons.write : reasons.choose);
      continue;
    }
    switch (question.type) {
      case 'likert5':
      case 'scale10':
      case 'nps': {
        const { min, max } = SCALE_RANGES[question.type];
        const n = text === undefined ? undefined : wholeNumber(text);
        if (n === undefined || n < min || n > max) refuse(reasons.range(min, max));
        break;
      }
      case 'single_choice':
        if (!question.options?.some((option) => option.key === text)) refuse(reasons.option);
        break;
      case 'free_text':
        if (text === undefined) refuse(reasons.write);
        else if (length(text) > MAX_FREE_TEXT_ANSWER) refuse(reasons.tooLong(MAX_FREE_TEXT_ANSWER));
        break;
    }
  }
  for (const key of Object.keys(answers))
    if (!known.has(key)) issues.push({ field: key, reason: reasons.unknown });
  return issues;
}

/**
 * Valid form values as stored: numbers for the numeric types, the option key, the trimmed text; every
 * question of the set has an entry, null where it was left unanswered. Unknown keys are dropped.
 */
export function normalizeAnswers(
  questions: readonly Question[],
  answers: Record<string, unknown>,
): Record<string, AnswerValue> {
  return Object.fromEntries(
    questions.map((question): [string, AnswerValue] => {
      const text = formText(answers[question.key]);
      if (!text) return [question.key, null];
      if (question.type === 'single_choice' || question.type === 'free_text') return [question.key, text];
      return [question.key, wholeNumber(text) ?? null];
    }),
  );
}
