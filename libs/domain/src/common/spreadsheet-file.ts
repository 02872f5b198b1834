import iconv from 'iconv-lite';
import type { Cell, CellValue } from 'exceljs';
import { CsvRecord, readCsvText } from './csv';
import { InvalidInputError } from './errors';

/** How the bytes of a text file were read. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** How an uploaded file was read: a text table in an encoding, or the first sheet of a workbook. */
export type FileReading = { format: 'csv'; encoding: TextEncodingName } | { format: 'xlsx'; sheet: string };

/** An uploaded table, read: its records with the line (or sheet row) each came from, and how. */
export interface SpreadsheetFile {
  records: CsvRecord[];
  reading: FileReading;
}

/** What the uploader says the file is: the request's content type, or the file's name. */
export interface DeclaredFile {
  contentType?: string;
  fileName?: string;
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A workbook may unpack to at most this much (the sizes its ZIP directory declares): a sheet of the
 * longest import allowed is a few megabytes of XML, and a ZIP bomb is refused before anything unpacks.
 */
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

/**
 * Reads an uploaded participant or OKR file as coaches save it, for the API and the console alike: an
 * XLSX workbook (its first sheet; rows numbered as the spreadsheet numbers them), or a text table in
 * UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text") or Windows-1252 (Excel's
 * "CSV" on a Finnish or Swedish Windows), separated by `,`, `;` or tab. Refuses, naming the field
 * `file` and the reason, a file it cannot read.
 */
export async function readSpreadsheetFile(
  bytes: Buffer,
  declared: DeclaredFile = {},
): Promise<SpreadsheetFile> {
  if (isZip(bytes)) return readWorkbook(bytes);
  if (isOleCompound(bytes)) {
    throw fileError('The file is an old Excel workbook; nothing was imported.', [
      'an Excel 97-2003 workbook (.xls) cannot be read: save it as .xlsx or as "CSV UTF-8"',
    ]);
  }
  if (declaresXlsx(declared)) {
    throw fileError('The file is not an XLSX workbook; nothing was imported.', [
      'sent as an XLSX workbook, but it is not one (an .xlsx file is a ZIP archive)',
    ]);
  }
  return readTextFile(bytes);
}

/** Reads a text table (see `readSpreadsheetFile`); for callers that have no workbooks to read. */
export function readTextFile(bytes: Buffer): SpreadsheetFile {
  const { text, encoding } = decodeText(bytes);
  return { records: readCsvText(text), reading: { format: 'csv', encoding } };
}

/** How a file was read, with a sentence for people, in an import's answer. */
export type ReadAs = FileReading & { note: string };

/** What an import's answer says of how the file was read: nothing for plain UTF-8 text. */
export function readAsOf(reading: FileReading): ReadAs | undefined {
  const note = readingNote(reading);
  return note === undefined ? undefined : { ...reading, note };
}

/** A sentence saying how the file was read, when it was read other than as plain UTF-8 text. */
export function readingNote(reading: FileReading): string | undefined {
  if (reading.format === 'xlsx') return `Read the first sheet of the workbook, "${reading.sheet}".`;
  switch (reading.encoding) {
    case 'windows-1252':
      return 'The file is not UTF-8 and was read as Windows-1252; check that letters such as ä, ö and å came out right.';
    case 'utf-16le':
    case 'utf-16be':
      return `The file was read as UTF-16 (${reading.encoding === 'utf-16le' ? 'little' : 'big'}-endian), as Excel saves "Unicode text".`;
    default:
      return undefined;
  }
}

/**
 * The text of a file and the encoding it was read in: the byte order mark decides first; then bytes
 * that are valid UTF-8 are UTF-8 (plain ASCII included); anything else is Windows-1252, decoded with
 * iconv-lite (Node's own decoder mangles 0x80–0x9F). Bytes that are not even Windows-1252 are refused
 * with their line. A BOM is dropped.
 */
export function decodeText(bytes: Buffer): { text: string; encoding: TextEncodingName } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = strictUtf8(bytes.subarray(3));
    if (text === undefined)
      throw notReadable(
        firstBadLine(bytes, (line) => strictUtf8(line) === undefined),
        'UTF-8',
      );
    return { text, encoding: 'utf-8' };
  }
  const utf16 = utf16Of(bytes);
  if (utf16) return { text: iconv.decode(bytes, utf16), encoding: utf16 };
  const text = strictUtf8(bytes);
  if (text !== undefined) return { text, encoding: 'utf-8' };
  const windows = iconv.decode(bytes, 'windows-1252');
  // Five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are no Windows-1252 character: the file is something else.
  if (windows.includes('\uFFFD')) {
    throw notReadable(
      firstBadLine(bytes, (line) => iconv.decode(line, 'windows-1252').includes('\uFFFD')),
      'Windows-1252',
    );
  }
  return { text: windows, encoding: 'windows-1252' };
}

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * UTF-16 by its BOM, or, without one, by its NUL bytes: text in Latin letters written as UTF-16 has a
 * NUL in every other byte, which no UTF-8 or Windows-1252 table has.
 */
function utf16Of(bytes: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const sample = bytes.subarray(0, 4096);
  if (sample.length < 4) return undefined;
  const nuls = [0, 0];
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) nuls[i % 2]++;
  const half = sample.length / 2;
  if (nuls[1] > half * 0.4 && nuls[0] === 0) return 'utf-16le';
  if (nuls[0] > half * 0.4 && nuls[1] === 0) return 'utf-16be';
  return undefined;
}

/** The 1-based line of the first line whose bytes `bad` refuses. */
function firstBadLine(bytes: Buffer, bad: (line: Buffer) => boolean): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (bad(bytes.subarray(start, i))) return line;
      line++;
      start = i + 1;
    }
  }
  return line;
}

function notReadable(line: number, as: string): InvalidInputError {
  return new InvalidInputError('The file cannot be read as text; nothing was imported.', [
    {
      field: 'file',
      line,
      reason: `not valid ${as} (save the file as "CSV UTF-8", or as an Excel workbook)`,
    },
  ]);
}

// --- Workbooks --------------------------------------------------------------------------------------

const isZip = (bytes: Buffer) =>
  bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);

const isOleCompound = (bytes: Buffer) =>
  bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from('d0cf11e0a1b11ae1', 'hex'));

function declaresXlsx({ contentType, fileName }: DeclaredFile): boolean {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type === XLSX_CONTENT_TYPE || /\.xlsx$/i.test(fileName ?? '');
}

function fileError(message: string, reasons: string[]): InvalidInputError {
  return new InvalidInputError(
    message,
    reasons.map((reason) => ({ field: 'file', reason })),
  );
}

/** The first sheet of a workbook, as records numbered by sheet row; every cell as the text a coach sees. */
async function readWorkbook(bytes: Buffer): Promise<SpreadsheetFile> {
  const entries = zipEntries(bytes);
  if (!entries.has('xl/workbook.xml')) {
    throw fileError('The file is not an XLSX workbook; nothing was imported.', [
      'a ZIP archive, but not an Excel workbook (it has no xl/workbook.xml)',
    ]);
  }
  const unpacked = [...entries.values()].reduce((sum, size) => sum + size, 0);
  if (unpacked > MAX_UNPACKED_BYTES) {
    throw fileError('The workbook is too large; nothing was imported.', [
      `unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB; import its first sheet saved as "CSV UTF-8"`,
    ]);
  }
  // Loaded only when a workbook arrives: the library is large, and most imports are CSV.
  const { Workbook } = await import('exceljs');
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (error) {
    const detail = (error as Error).message?.split('\n')[0].slice(0, 120) ?? 'unknown error';
    throw fileError('The workbook cannot be read; nothing was imported.', [
      `a damaged XLSX workbook (${detail}); open it in Excel and save it again`,
    ]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet)
    throw fileError('The workbook has no sheet; nothing was imported.', ['the workbook has no sheet']);

  const records: CsvRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: string[] = [];
    for (let column = 1; column <= row.cellCount; column++) values.push(cellText(row.getCell(column)));
    while (values.length && !values[values.length - 1]) values.pop();
    if (values.length) records.push({ values, line: rowNumber });
  });
  if (!records.length) {
    throw new InvalidInputError('The file is empty.', [
      { field: 'file', line: 1, reason: `no header row (the first sheet, "${sheet.name}", is empty)` },
    ]);
  }
  // A spreadsheet stores no empty cells at the end of a row: a short row has blanks there.
  const width = records[0].values.length;
  for (const record of records) while (record.values.length < width) record.values.push('');
  return { records, reading: { format: 'xlsx', sheet: sheet.name } };
}

/** A cell as the text the coach sees in it: a formula by its result, a link by its text, a date as a date. */
function cellText(cell: Cell): string {
  // The other cells of a merged range repeat its first cell's value, which the coach sees once.
  if (cell.isMerged && cell.master.address !== cell.address) return '';
  return valueText(cell.value).trim();
}

function valueText(value: CellValue | { richText: { text: string }[] } | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(Number(value.toPrecision(15)));
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return valueText(value.text as CellValue);
  if ('formula' in value || 'sharedFormula' in value) return valueText(value.result);
  if ('error' in value) return value.error;
  return '';
}

/** A date cell (its wall-clock time, stored as UTC) as ISO 8601: the date, and the time if it has one. */
function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.endsWith(':00.000Z')
    ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
    : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/**
 * The entries of a ZIP archive and the sizes they declare, read from its central directory; a file cut
 * short (no end record, or a directory past the end) is refused here rather than by the unpacker.
 */
function zipEntries(bytes: Buffer): Map<string, number> {
  const damaged = (why: string) =>
    fileError('The workbook cannot be read; nothing was imported.', [
      `a damaged XLSX workbook: ${why}; open it in Excel and save it again`,
    ]);
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > bytes.length) throw damaged('the ZIP archive is incomplete (cut short?)');
  const count = bytes.readUInt16LE(end + 10);
  const size = bytes.readUInt32LE(end + 12);
  const offset = bytes.readUInt32LE(end + 16);
  if (offset + size > end) throw damaged('the ZIP archive is incomplete (cut short?)');
  const entries = new Map<string, number>();
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || bytes.readUInt32LE(at) !== 0x02014b50) throw damaged('its ZIP directory is broken');
    const unpacked = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const localHeader = bytes.readUInt32LE(at + 42);
    if (localHeader >= offset) throw damaged('its ZIP directory is broken');
    // 0xFFFFFFFF: a ZIP64 size, larger than any workbook accepted here.
    entries.set(
      bytes.toString('utf8', at + 46, at + 46 + nameLength),
      unpacked === 0xffffffff ? Infinity : unpacked,
    );
    at += 46 + skip;
  }
  return entries;
}
