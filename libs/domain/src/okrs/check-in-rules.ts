import type { KeyResultMeasure, Locale } from '@luotsi/database';
import type { InputIssue } from '../common/errors';

export const MAX_CHECK_IN_NOTE = 1000;

/**
 * The form's fields for one key result: `value.{id}`, `done.{id}`, `confidence.{id}`, `note.{id}`, and
 * in the quarter's last weeks `score.{id}`, the owner's final score.
 */
export const CHECK_IN_FIELDS = ['value', 'done', 'confidence', 'note', 'score'] as const;
export type CheckInField = (typeof CHECK_IN_FIELDS)[number];

export const checkInField = (field: CheckInField, keyResultId: string) => `${field}.${keyResultId}`;

/** A key result's answer, ready to store. */
export interface CheckInAnswer {
  keyResultId: string;
  currentValue: number | null;
  done: boolean | null;
  confidence: number;
  note: string;
  /** The final score 0.0–1.0, when the form asks for it and the owner gave one. */
  score: number | null;
}

const MESSAGES: Record<
  Locale,
  {
    number: string;
    doneChoice: string;
    confidence: string;
    noteLength: string;
    notYours: string;
    score: string;
    notScoring: string;
  }
> = {
  fi: {
    number: 'Anna nykyinen arvo numerona, esimerkiksi 12 tai 3,5.',
    doneChoice: 'Valitse, onko tämä valmis.',
    confidence: 'Valitse luottamus kokonaislukuna 0–10.',
    noteLength: `Huomio saa olla enintään ${MAX_CHECK_IN_NOTE} merkkiä.`,
    notYours: 'Tämä avaintulos ei ole sinun, joten sitä ei voi kirjata tällä linkillä.',
    score: 'Anna loppuarvio numerona 0,0–1,0, esimerkiksi 0,7.',
    notScoring: 'Loppuarvio annetaan vasta neljänneksen viimeisillä viikoilla.',
  },
  sv: {
    number: 'Ange nuvarande värde som ett tal, till exempel 12 eller 3,5.',
    doneChoice: 'Välj om detta är klart.',
    confidence: 'Välj tilltro som ett heltal 0–10.',
    noteLength: `Kommentaren får vara högst ${MAX_CHECK_IN_NOTE} tecken.`,
    notYours: 'Det här nyckelresultatet är inte ditt och kan inte rapporteras med den här länken.',
    score: 'Ange slutbetyget som ett tal 0,0–1,0, till exempel 0,7.',
    notScoring: 'Slutbetyget ges först under kvartalets sista veckor.',
  },
  en: {
    number: 'Enter the current value as a number, for example 12 or 3.5.',
    doneChoice: 'Choose whether this is done.',
    confidence: 'Choose a confidence as a whole number from 0 to 10.',
    noteLength: `The note can be at most ${MAX_CHECK_IN_NOTE} characters.`,
    notYours: 'This key result is not yours, so it cannot be recorded with this link.',
    score: 'Give the final score as a number from 0.0 to 1.0, for example 0.7.',
    notScoring: "Final scores are given in the quarter's last weeks only.",
  },
};

/** A number as people type it: `12`, `-3.5`, `3,5` (the Finnish and Swedish comma), `1 234,5`. */
export function parseDecimal(text: string): number | null {
  const compact = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!/^[-\u2212]?\d+(?:[.,]\d+)?$/.test(compact)) return null;
  const value = Number(compact.replace('\u2212', '-').replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}

/**
 * Validates a posted check-in against the person's own key results. A field for any other key result
 * is refused (nothing is stored); every problem is reported at once, in the person's language. A final
 * score is optional, and accepted only when the form asks for scores (`scoring`).
 */
export function validateCheckIn(
  keyResults: readonly { id: string; measure: KeyResultMeasure }[],
  values: Record<string, string>,
  locale: Locale,
  scoring = false,
): { issues: InputIssue[]; answers: CheckInAnswer[] } {
  const m = MESSAGES[locale];
  const own = new Set(keyResults.map((kr) => kr.id));
  const issues: InputIssue[] = [];
  for (const field of Object.keys(values)) {
    const [kind, id] = splitField(field);
    if (kind && !own.has(id)) issues.push({ field, reason: m.notYours });
  }
  const answers: CheckInAnswer[] = [];
  for (const kr of keyResults) {
    const get = (field: CheckInField) => (values[checkInField(field, kr.id)] ?? '').trim();
    let currentValue: number | null = null;
    let done: boolean | null = null;
    if (kr.measure === 'metric') {
      currentValue = parseDecimal(get('value'));
      if (currentValue === null) issues.push({ field: checkInField('value', kr.id), reason: m.number });
    } else {
      const choice = get('done');
      if (choice === 'yes' || choice === 'no') done = choice === 'yes';
      else issues.push({ field: checkInField('done', kr.id), reason: m.doneChoice });
    }
    const confidenceText = get('confidence');
    const confidence = /^\d{1,2}$/.test(confidenceText) ? Number(confidenceText) : NaN;
    if (!(confidence >= 0 && confidence <= 10))
      issues.push({ field: checkInField('confidence', kr.id), reason: m.confidence });
    const note = (values[checkInField('note', kr.id)] ?? '').trim();
    if (note.length > MAX_CHECK_IN_NOTE)
      issues.push({ field: checkInField('note', kr.id), reason: m.noteLength });
    const scoreText = get('score');
    let score: number | null = null;
    if (scoreText && !scoring) {
      issues.push({ field: checkInField('score', kr.id), reason: m.notScoring });
    } else if (scoreText) {
      score = parseDecimal(scoreText);
      if (score === null || score < 0 || score > 1) {
        score = null;
        issues.push({ field: checkInField('score', kr.id), reason: m.score });
      }
    }
    answers.push({ keyResultId: kr.id, currentValue, done, confidence, note, score });
  }
  return { issues, answers };
}

function splitField(field: string): [CheckInField | null, string] {
  const dot = field.indexOf('.');
  if (dot < 0) return [null, ''];
  const kind = field.slice(0, dot) as CheckInField;
  return CHECK_IN_FIELDS.includes(kind) ? [kind, field.slice(dot + 1)] : [null, ''];
}
