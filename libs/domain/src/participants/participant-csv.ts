import { Level, LEVELS, Locale, LOCALES } from '@luotsi/database';
import type { InputIssue } from '../common/errors';
import { clip, CsvRecord, CsvRowResult, CsvTable, readCsvTable } from '../common/csv';
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

type Column = keyof Omit<ParticipantRow, 'line'>;

const PARTICIPANT_TABLE: CsvTable<Column> = {
  /** Header spellings people actually use, mapped to our columns. */
  aliases: {
    email: 'email',
    e_mail: 'email',
    name: 'name',
    locale: 'locale',
    language: 'locale',
    level: 'level',
    time_zone: 'timeZone',
    timezone: 'timeZone',
    tz: 'timeZone',
  },
  required: ['email', 'name'],
  expected: 'email, name, locale, level, time_zone',
  maxRows: MAX_IMPORT_ROWS,
  rowNoun: 'participants',
  contents: 'participants',
};

/**
 * Parses and validates a participant file as a whole (its records, as `readSpreadsheetFile` reads a CSV,
 * a text export or a workbook): every bad line is reported, with its 1-based line number, before
 * anything is written.
 */
export function parseParticipantCsv(records: CsvRecord[], defaults: CsvDefaults): ParticipantRow[] {
  const seen = new Map<string, number>();
  return readCsvTable(records, PARTICIPANT_TABLE, (value, line): CsvRowResult<ParticipantRow> => {
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
    return rowIssues.length ? { issues: rowIssues } : { row: { line, email, name, locale, level, timeZone } };
  });
}
