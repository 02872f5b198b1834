import type { KeyResultKind, KeyResultMeasure } from '@luotsi/database';
import { InputIssue, InvalidInputError } from '../common/errors';
import { clip, headerKey, readCsv } from '../common/csv';
import { isEmail } from '../participants/email';
import { validateKeyResult, validateTitle } from './okr-rules';

/** One line of an OKR file: an objective, and one of its key results unless `keyResult` is null. */
export interface OkrCsvRow {
  line: number;
  objective: string;
  keyResult: {
    title: string;
    kind: KeyResultKind;
    measure: KeyResultMeasure;
    start: number | null;
    target: number | null;
    unit: string;
    ownerEmail: string | null;
  } | null;
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
const EXPECTED = 'objective, key_result, kind, measure, start, target, unit, owner_email';

/** `12.5`, `-3`, and the decimal comma of Finnish and Swedish spreadsheets (`12,5`); blank is null. */
function readNumber(raw: string): number | null | undefined {
  const text = raw.replace(/\s/g, '');
  if (!text) return null;
  const normal = /^-?\d+,\d+$/.test(text) ? text.replace(',', '.') : text;
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(normal)) return undefined;
  return Number(normal);
}

/**
 * Parses and validates an OKR file as a whole: every bad line is reported with its 1-based line number
 * before anything is written. A blank `kind` is `committed`; a blank `measure` is `metric` when a start
 * or target is given and `binary` otherwise. Owners are checked against the pilot by the caller.
 */
export function parseOkrCsv(bytes: Buffer): OkrCsvRow[] {
  const records = readCsv(bytes);
  if (records.length - 1 > MAX_OKR_ROWS) {
    throw new InvalidInputError('The file is too long.', [
      { field: 'file', reason: `at most ${MAX_OKR_ROWS} lines per import, got ${records.length - 1}` },
    ]);
  }

  const columns = readHeader(records[0].values);
  const issues: InputIssue[] = [];
  const rows: OkrCsvRow[] = [];
  const seen = new Map<string, number>();

  for (const { values: record, line } of records.slice(1)) {
    if (record.length !== columns.length) {
      issues.push({
        field: 'row',
        line,
        reason: `expected ${columns.length} fields, found ${record.length}`,
      });
      continue;
    }
    const value = (key: Column) => {
      const i = columns.indexOf(key);
      return i < 0 ? '' : (record[i]?.normalize('NFC') ?? '');
    };
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
      if (!rowIssues.length) rows.push({ line, objective, keyResult: null });
      issues.push(...rowIssues.map((i) => ({ ...i, line })));
      continue;
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
    if (rowIssues.length) {
      issues.push(...rowIssues.map((i) => ({ ...i, line })));
      continue;
    }
    rows.push({
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
    });
  }

  if (issues.length) {
    const lines = new Set(issues.map((i) => i.line));
    throw new InvalidInputError(
      `${lines.size} line(s) of the file are invalid; nothing was imported.`,
      issues,
    );
  }
  if (!rows.length)
    throw new InvalidInputError('The file has no OKRs.', [
      { field: 'file', line: 2, reason: 'no data rows after the header' },
    ]);
  return rows;
}

const csvName = (column: Column) =>
  column === 'keyResult' ? 'key_result' : column === 'ownerEmail' ? 'owner_email' : column;

function readHeader(header: string[]): Column[] {
  const issues: InputIssue[] = [];
  const columns = header.map((raw, i) => {
    const key = COLUMN_ALIASES[headerKey(raw)];
    if (!key)
      issues.push({
        field: 'header',
        line: 1,
        reason: `unknown column "${clip(raw)}" (column ${i + 1}); expected ${EXPECTED}`,
      });
    return key;
  });
  if (!columns.includes('objective'))
    issues.push({ field: 'header', line: 1, reason: 'missing column "objective"' });
  for (const d of new Set(columns.filter((c, i) => c && columns.indexOf(c) !== i)))
    issues.push({ field: 'header', line: 1, reason: `column "${csvName(d)}" appears twice` });
  if (issues.length) throw new InvalidInputError('The header row is wrong; nothing was imported.', issues);
  return columns;
}
