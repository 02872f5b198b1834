import { applyDecorators, HttpCode, Injectable, PipeTransform, Type, UseInterceptors } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { InvalidInputError, XLSX_CONTENT_TYPE } from '@luotsi/domain';
import { ProblemDto } from './openapi';
import { rawBodyReader } from './raw-body-reader';

/**
 * The content types an import's body may be sent as, read as raw bytes (`ImportBodyReader`): the importer
 * reads the bytes themselves (a workbook, or text in UTF-8, UTF-16 or Windows-1252), so a `charset`
 * parameter is not needed, and a file sent as `application/octet-stream` is read just the same.
 */
export const IMPORT_CONTENT_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'text/tab-separated-values',
  XLSX_CONTENT_TYPE,
  'application/octet-stream',
];

/** The largest file an import takes, text or workbook. */
const IMPORT_LIMIT = '20mb';

/**
 * Reads an import's file body once the guards have let the request through: the import routes are the
 * only ones that take megabytes, and only from a signed-in coach.
 */
export const ImportBodyReader = rawBodyReader(IMPORT_CONTENT_TYPES, IMPORT_LIMIT);

/**
 * A file import: the file is the request body (CSV or tab-separated text in any of the encodings
 * spreadsheets save, or an XLSX workbook, whose first sheet is read); the answer is `summary`, or 422
 * with every bad line and nothing imported.
 */
export const ApiCsvImport = (file: { description: string; example: string }, summary: Type<unknown>) =>
  applyDecorators(
    ApiUnprocessableEntityResponse({
      type: ProblemDto,
      description:
        'Every bad line (or sheet row) with its number, or why the file cannot be read; nothing imported',
    }),
    ApiOkResponse({ type: summary }),
    ApiBody({
      required: true,
      description:
        `${file.description}. Text in UTF-8 (a BOM is fine), UTF-16 with a BOM (Excel's "Unicode text") or ` +
        "Windows-1252 (detected; the answer's `readAs` says so), separated by `,`, `;` or tab; or an XLSX " +
        'workbook, whose first sheet is read (line numbers are its row numbers).',
      schema: { type: 'string', format: 'binary' },
      examples: { csv: { summary: 'A CSV file', value: file.example } },
    }),
    ApiConsumes(...IMPORT_CONTENT_TYPES),
    UseInterceptors(ImportBodyReader),
    HttpCode(200),
  );

/** The uploaded file's bytes (`@Body(CsvFile)`); a body not sent as one of the import types is refused. */
@Injectable()
export class CsvFile implements PipeTransform<unknown, Buffer> {
  transform(body: unknown): Buffer {
    if (!Buffer.isBuffer(body)) {
      throw new InvalidInputError(
        'Send the file as the request body with Content-Type: text/csv (or XLSX).',
        [{ field: 'file', reason: `missing, or not sent as one of ${IMPORT_CONTENT_TYPES.join(', ')}` }],
      );
    }
    return body;
  }
}

/** How an imported file was read, in an import's answer when it was not plain UTF-8 text. */
export class ReadAsDto {
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format: 'csv' | 'xlsx';
  @ApiPropertyOptional({
    enum: ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'],
    description: 'A text file: the encoding it was read in',
  })
  encoding?: string;
  @ApiPropertyOptional({ description: 'A workbook: the name of its first sheet, the one read' })
  sheet?: string;
  @ApiProperty({
    example:
      'The file is not UTF-8 and was read as Windows-1252; check that letters such as ä, ö and å came out right.',
  })
  note: string;
}
