import { Level, LEVELS, Locale, LOCALES } from '@luotsi/database';
import { InputIssue, InvalidInputError } from '../common/errors';
import { clip, headerKey, readCsv } from '../common/csv';
import { isTimeZone } from '../common/time-zone';
import { isEmail } from './email';

export interface ParticipantRow {
  line: number;
  email: string;
  name: string;
  locale: Locale;
  level: Level;
  timeZone: string;
}

export interface CsvDefaults {
  locale: Locale;
  timeZone: string;
  /** The pilot's levels: a row's level must be one of them; blank means the only one, if single. */
  levels: readonly Level[];
}

export const MAX_IMPORT_ROWS = 50_000;

/** Header spellings people actually use, mapped to our columns. */
const COLUMN_ALIASES: Record<string, keyof Omit<ParticipantRow, 'line'>> = {
  email: 'email',
  e_mail: 'email',
  name: 'name',
  locale: 'locale',
  language: 'locale',
  level: 'level',
  time_zone: 'timeZone',
  timezone: 'timeZone',
  tz: 'timeZone',
};
const REQUIRED = ['email', 'name'] as const;

/**
 * Parses and validates a participant CSV as a whole: every bad line is reported, with its 1-based line
 * number, before anything is written. UTF-8 only (Excel's BOM is fine); `,` `;` or tab separated.
 */
export function parseParticipantCsv(bytes: Buffer, defaults: CsvDefaults): ParticipantRow[] {
  const records = readCsv(bytes);

  const columns = readHeader(records[0].values);
  const issues: InputIssue[] = [];
  const rows: ParticipantRow[] = [];
  const seen = new Map<string, number>();

  if (records.length - 1 > MAX_IMPORT_ROWS) {
    throw new InvalidInputError('The file is too long.', [
      {
        field: 'file',
        reason: `at most ${MAX_IMPORT_ROWS} participants per import, got ${records.length - 1}`,
      },
    ]);
  }

  for (const { values: record, line } of records.slice(1)) {
    if (record.length !== columns.length) {
      issues.push({
        field: 'row',
        line,
        reason: `expected ${columns.length} fields, found ${record.length}`,
      });
      continue;
    }
    const value = (key: string) => record[columns.indexOf(key as never)]?.normalize('NFC') ?? '';
    const rowIssues: InputIssue[] = [];
    const email = value('email').toLowerCase();
    if (!isEmail(email))
      rowIssues.push({ field: 'email', line, reason: `not an email address: "${clip(value('email'))}"` });
    const name = value('name');
    if (!name) rowIssues.push({ field: 'name', line, reason: 'missing' });
    else if (name.length > 200) rowIssues.push({ field: 'name', line, reason: 'longer than 200 characters' });

    const locale = (value('locale').toLowerCase() || defaults.locale) as Locale;
    if (!LOCALES.includes(locale)) {
      rowIssues.push({
        field: 'locale',
        line,
        reason: `"${clip(locale)}" is not one of ${LOCALES.join(', ')}`,
      });
    }

    const givenLevel = value('level').toLowerCase();
    const level = (givenLevel || (defaults.levels.length === 1 ? defaults.levels[0] : '')) as Level;
    if (!level)
      rowIssues.push({ field: 'level', line, reason: `missing; one of ${defaults.levels.join(', ')}` });
    else if (!LEVELS.includes(level))
      rowIssues.push({ field: 'level', line, reason: `"${clip(level)}" is not one of ${LEVELS.join(', ')}` });
    else if (!defaults.levels.includes(level)) {
      rowIssues.push({
        field: 'level',
        line,
        reason: `"${level}" is not a level of this pilot (${defaults.levels.join(', ')})`,
      });
    }

    const timeZone = value('timeZone') || defaults.timeZone;
    if (!isTimeZone(timeZone))
      rowIssues.push({ field: 'time_zone', line, reason: `"${clip(timeZone)}" is not an IANA time zone` });

    if (isEmail(email)) {
      const first = seen.get(email);
      if (first !== undefined) rowIssues.push({ field: 'email', line, reason: `duplicate of line ${first}` });
      else seen.set(email, line);
    }
    if (rowIssues.length) issues.push(...rowIssues);
    else rows.push({ line, email, name, locale, level, timeZone });
  }

  if (issues.length) {
    const lines = new Set(issues.map((i) => i.line));
    throw new InvalidInputError(
      `${lines.size} line(s) of the file are invalid; nothing was imported.`,
      issues,
    );
  }
  if (!rows.length)
    throw new InvalidInputError('The file has no participants.', [
      { field: 'file', line: 2, reason: 'no data rows after the header' },
    ]);
  return rows;
}

function readHeader(header: string[]): (keyof Omit<ParticipantRow, 'line'>)[] {
  const issues: InputIssue[] = [];
  const columns = header.map((raw, i) => {
    const key = COLUMN_ALIASES[headerKey(raw)];
    if (!key)
      issues.push({
        field: 'header',
        line: 1,
        reason: `unknown column "${clip(raw)}" (column ${i + 1}); expected email, name, locale, level, time_zone`,
      });
    return key;
  });
  for (const required of REQUIRED) {
    if (!columns.includes(required))
      issues.push({ field: 'header', line: 1, reason: `missing column "${required}"` });
  }
  const dupes = columns.filter((c, i) => c && columns.indexOf(c) !== i);
  for (const d of new Set(dupes))
    issues.push({ field: 'header', line: 1, reason: `column "${d}" appears twice` });
  if (issues.length) throw new InvalidInputError('The header row is wrong; nothing was imported.', issues);
  return columns as (keyof Omit<ParticipantRow, 'line'>)[];
}
