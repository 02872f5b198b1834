import { parse } from 'csv-parse/sync';
import { InputIssue, InvalidInputError } from './errors';

/** A record of an uploaded file with the 1-based line it ends on (a quoted field may span lines). */
export interface CsvRecord {
  values: string[];
  line: number;
}

/**
 * Reads a table's text the way spreadsheets write it (see `readSpreadsheetFile` for the bytes): separated
 * by `,`, `;` or tab — whichever the header line uses most, since accepting several at once would split
 * Finnish decimals like `3,5`. Values are trimmed; empty lines skipped. Refuses, with the line, a file
 * that is not CSV, or empty.
 */
export function readCsvText(text: string): CsvRecord[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].reduce(
    (best, d) => (count(firstLine, d) > count(firstLine, best) ? d : best),
    ',',
  );
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as { code?: string; lines?: number; message: string };
    // csv-parse reports an unclosed quote at the line where parsing ended (the end of the file); the
    // person fixing the file needs the line where the quote was opened.
    const opened = e.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuoteLine(text, delimiter) : undefined;
    throw new InvalidInputError('The file is not valid CSV.', [
      opened === undefined
        ? { field: 'file', line: e.lines, reason: e.message.replace(/^Invalid [^:]*: /, '') }
        : { field: 'file', line: opened, reason: `the quote opened on line ${opened} is never closed` },
    ]);
  }
  if (!records.length)
    throw new InvalidInputError('The file is empty.', [{ field: 'file', line: 1, reason: 'no header row' }]);
  return records.map(({ record, info }) => ({ values: record, line: info.lines }));
}

/** A file of rows with named columns: the header spellings it accepts, and how many rows it may have. */
export interface CsvTable<Column extends string> {
  /** Header spellings people actually use, each mapped to its column. */
  aliases: Record<string, Column>;
  /** Columns the header must name. */
  required: readonly Column[];
  /** The columns as the error for an unknown one lists them. */
  expected: string;
  /** A column as the header's errors name it; its key by default. */
  nameOf?: (column: Column) => string;
  /** At most this many data rows, counted as `rowNoun` in the error ("lines", "participants"). */
  maxRows: number;
  rowNoun: string;
  /** What the rows are, for a file without any ("OKRs", "participants"). */
  contents: string;
}

/** A data row read, or what is wrong with it (each issue gets the row's line). */
export type CsvRowResult<Row> = { row: Row } | { issues: InputIssue[] };

/**
 * Reads an uploaded table (its records, see `readSpreadsheetFile`) as a whole: NUL bytes, the header
 * against the table's columns, then its length, then every row through `readRow` (a row with the wrong
 * number of fields is refused before). Every bad line is reported, with its 1-based line number (a
 * workbook's row number), before anything is written.
 */
export function readCsvTable<Column extends string, Row>(
  records: CsvRecord[],
  table: CsvTable<Column>,
  readRow: (value: (column: Column) => string, line: number) => CsvRowResult<Row>,
): Row[] {
  const nul = nulIssues(records);
  if (nul.length) throw new InvalidInputError('The file has NUL bytes; nothing was imported.', nul);
  const header = records[0];
  const columns = readHeader(header, table);
  if (records.length - 1 > table.maxRows) {
    throw new InvalidInputError('The file is too long.', [
      {
        field: 'file',
        reason: `at most ${table.maxRows} ${table.rowNoun} per import, got ${records.length - 1}`,
      },
    ]);
  }

  const issues: InputIssue[] = [];
  const rows: Row[] = [];
  for (const { values: record, line } of records.slice(1)) {
    if (record.length !== columns.length) {
      issues.push({
        field: 'row',
        line,
        reason: `expected ${columns.length} fields, found ${record.length}`,
      });
      continue;
    }
    const value = (column: Column) => record[columns.indexOf(column)]?.normalize('NFC') ?? '';
    const result = readRow(value, line);
    if ('row' in result) rows.push(result.row);
    else issues.push(...result.issues.map((issue) => ({ ...issue, line })));
  }

  if (issues.length) {
    const lines = new Set(issues.map((i) => i.line));
    throw new InvalidInputError(
      `${lines.size} line(s) of the file are invalid; nothing was imported.`,
      issues,
    );
  }
  if (!rows.length)
    throw new InvalidInputError(`The file has no ${table.contents}.`, [
      { field: 'file', line: header.line + 1, reason: 'no data rows after the header' },
    ]);
  return rows;
}

/** The header's columns in order; refuses unknown, missing and doubled ones, all at once. */
function readHeader<Column extends string>(
  { values: header, line }: CsvRecord,
  table: CsvTable<Column>,
): Column[] {
  const nameOf = table.nameOf ?? ((column: Column) => column);
  const issues: InputIssue[] = [];
  const columns = header.map((raw, i) => {
    const column = table.aliases[headerKey(raw)];
    if (!column)
      issues.push({
        field: 'header',
        line,
        reason: `unknown column "${clip(raw)}" (column ${i + 1}); expected ${table.expected}`,
      });
    return column;
  });
  for (const required of table.required) {
    if (!columns.includes(required))
      issues.push({ field: 'header', line, reason: `missing column "${nameOf(required)}"` });
  }
  for (const doubled of new Set(columns.filter((c, i) => c && columns.indexOf(c) !== i)))
    issues.push({ field: 'header', line, reason: `column "${nameOf(doubled)}" appears twice` });
  if (issues.length) throw new InvalidInputError('The header row is wrong; nothing was imported.', issues);
  return columns;
}

/** A header cell as a lookup key: lower case, runs of spaces, `-` and `_` as one `_`. */
export const headerKey = (raw: string): string =>
  raw
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');

/** A value quoted back in an error, cut to a readable length. */
export const clip = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text);

/**
 * Values with a NUL byte (PostgreSQL text cannot hold it), each named by the header of its column, so
 * the person fixing the file finds the cell.
 */
function nulIssues(records: CsvRecord[]): InputIssue[] {
  const header = records[0].values.map((name) => name.split('\u0000').join(''));
  return records.flatMap(({ values, line }) =>
    values.flatMap((value, column) =>
      value.includes('\u0000')
        ? [{ field: header[column] || 'file', line, reason: 'must not contain NUL bytes' }]
        : [],
    ),
  );
}

/** The line of a quoted field (RFC 4180, `""` escapes a quote) still open at the end, if any. */
function unclosedQuoteLine(text: string, delimiter: string): number | undefined {
  let line = 1;
  let opened: number | undefined;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (opened !== undefined) {
      if (c === '\n') line++;
      else if (c === '"' && text[i + 1] === '"') i++;
      else if (c === '"') opened = undefined;
    } else if (c === '\n') {
      line++;
      fieldStart = true;
    } else if (c === delimiter) {
      fieldStart = true;
    } else if (c === '"' && fieldStart) {
      opened = line;
    } else if (c !== ' ' && c !== '\t' && c !== '\r') {
      fieldStart = false;
    }
  }
  return opened;
}

const count = (text: string, char: string) => text.split(char).length - 1;
