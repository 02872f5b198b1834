import type { KeyResultKind, KeyResultMeasure } from '@luotsi/database';
import type { InputIssue } from '../common/errors';
import { clip, CsvRecord, CsvRowResult, CsvTable, readCsvTable } from '../common/csv';
import { isEmail } from '../participants';
import { validateKeyResult, validateTitle } from './okr-rules';
import type { KeyResultState } from './okr-views';

/** One line of an OKR file: an objective, and one of its key results unless `keyResult` is null. */
export interface OkrCsvRow {
  line: number;
  objective: string;
  keyResult:
    | (Pick<KeyResultState, 'title' | 'kind' | 'measure' | 'start' | 'target' | 'unit'> & {
        ownerEmail: string | null;
      })
    | null;
}

export const MAX_OKR_ROWS = 1_000;

type Column = 'objective' | 'keyResult' | 'kind' | 'measure' | 'start' | 'target' | 'unit' | 'ownerEmail';

const COLUMN_ALIASES: Record<string, Column> = {
  objective: 'objective',
  key_result: 'keyResult',
  keyresult: 'keyResult',
  kr: 'keyResult',
  kind: 'kind',
  measure: 'measure',
  start: 'start',
  target: 'target',
  unit: 'unit',
  owner_email: 'ownerEmail',
  owner: 'ownerEmail',
  owner_e_mail: 'ownerEmail',
};

/** `12.5`, `-3`, and the decimal comma of Finnish and Swedish spreadsheets (`12,5`); blank is null. */
function readNumber(raw: string): number | null | undefined {
  const text = raw.replace(/\s/g, '');
  if (!text) return null;
  const normal = /^-?\d+,\d+$/.test(text) ? text.replace(',', '.') : text;
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(normal)) return undefined;
  return Number(normal);
}

const csvName = (column: Column) =>
  column === 'keyResult' ? 'key_result' : column === 'ownerEmail' ? 'owner_email' : column;

const OKR_TABLE: CsvTable<Column> = {
  aliases: COLUMN_ALIASES,
  required: ['objective'],
  expected: 'objective, key_result, kind, measure, start, target, unit, owner_email',
  nameOf: csvName,
  maxRows: MAX_OKR_ROWS,
  rowNoun: 'lines',
  contents: 'OKRs',
};

/**
 * Parses and validates an OKR file as a whole: every bad line is reported with its 1-based line number
 * before anything is written. A blank `kind` is `committed`; a blank `measure` is `metric` when a start
 * or target is given and `binary` otherwise. Owners are checked against the pilot by the caller.
 */
export function parseOkrCsv(records: CsvRecord[]): OkrCsvRow[] {
  const seen = new Map<string, number>();
  return readCsvTable(records, OKR_TABLE, (value, line): CsvRowResult<OkrCsvRow> => {
    const rowIssues: InputIssue[] = [];
    const objective = value('objective');
    rowIssues.push(...validateTitle(objective, 'objective'));
    const title = value('keyResult');

    if (!title) {
      for (const column of ['kind', 'measure', 'start', 'target', 'unit', 'ownerEmail'] as const) {
        if (value(column))
          rowIssues.push({
            field: csvName(column),
            line,
            reason: 'must be blank on a line without a key_result',
          });
      }
      return rowIssues.length ? { issues: rowIssues } : { row: { line, objective, keyResult: null } };
    }

    const start = readNumber(value('start'));
    const target = readNumber(value('target'));
    if (start === undefined)
      rowIssues.push({ field: 'start', reason: `not a number: "${clip(value('start'))}"` });
    if (target === undefined)
      rowIssues.push({ field: 'target', reason: `not a number: "${clip(value('target'))}"` });
    const kind = (value('kind').toLowerCase() || 'committed') as KeyResultKind;
    const measure = (value('measure').toLowerCase() ||
      (value('start') || value('target') ? 'metric' : 'binary')) as KeyResultMeasure;
    const unit = value('unit');
    const ownerEmail = value('ownerEmail').toLowerCase() || null;
    if (ownerEmail && !isEmail(ownerEmail))
      rowIssues.push({ field: 'owner_email', reason: `not an email address: "${clip(ownerEmail)}"` });
    if (start !== undefined && target !== undefined) {
      const ruleIssues = validateKeyResult({ title, kind, measure, start, target, unit: unit || null });
      rowIssues.push(
        ...ruleIssues.map((i) => ({ ...i, field: i.field === 'title' ? 'key_result' : i.field })),
      );
    }
    if (!validateTitle(objective).length && !validateTitle(title).length) {
      const key = `${objective}\u0000${title}`;
      const first = seen.get(key);
      if (first !== undefined) rowIssues.push({ field: 'key_result', reason: `duplicate of line ${first}` });
      else seen.set(key, line);
    }
    if (rowIssues.length) return { issues: rowIssues };
    return {
      row: {
        line,
        objective: objective.trim(),
        keyResult: {
          title: title.trim(),
          kind,
          measure,
          start: start ?? null,
          target: target ?? null,
          unit,
          ownerEmail,
        },
      },
    };
  });
}
