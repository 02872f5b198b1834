import { applyDecorators, HttpCode, Injectable, PipeTransform, Type } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { InputIssue, InvalidInputError } from '@luotsi/domain';
import { ProblemDto } from './openapi';

/**
 * A CSV import: the file is the request body, sent as `text/csv` (read as raw bytes, see api.app.ts);
 * the answer is `summary`, or 422 with every bad line and nothing imported.
 */
export const ApiCsvImport = (file: { description: string; example: string }, summary: Type<unknown>) =>
  applyDecorators(
    ApiUnprocessableEntityResponse({
      type: ProblemDto,
      description: 'Every bad line with its number; nothing imported',
    }),
    ApiOkResponse({ type: summary }),
    ApiBody({ description: file.description, schema: { type: 'string', example: file.example } }),
    ApiConsumes('text/csv'),
    HttpCode(200),
  );

/** The uploaded CSV's bytes (`@Body(CsvFile)`); a body not sent as text/csv is refused. */
@Injectable()
export class CsvFile implements PipeTransform<unknown, Buffer> {
  transform(body: unknown): Buffer {
    if (!Buffer.isBuffer(body)) {
      throw new InvalidInputError('Send the file as the request body with Content-Type: text/csv.', [
        { field: 'file', reason: 'missing, or not sent as text/csv' },
      ]);
    }
    const nul = nulIssues(body);
    if (nul.length) throw new InvalidInputError('The file has NUL bytes; nothing was imported.', nul);
    return body;
  }
}

/**
 * Lines with a NUL byte (valid UTF-8, but PostgreSQL text cannot hold it), each named by the header of
 * its column. Splitting on the delimiter ignores quoting: a quoted delimiter before a NUL may name the
 * next column, which still points at the right line.
 */
function nulIssues(file: Buffer): InputIssue[] {
  if (!file.includes(0)) return [];
  const lines = file.toString('utf8').split(/\r?\n/);
  const header = lines[0].replace(/^\uFEFF/, '');
  const delimiter = [',', ';', '\t'].sort((x, y) => header.split(y).length - header.split(x).length)[0];
  const columns = header.split(delimiter).map((name) => name.trim().replace(/^"|"$/g, ''));
  return lines.flatMap((line, index) => {
    const at = line.indexOf('\u0000');
    if (at < 0) return [];
    const column = line.slice(0, at).split(delimiter).length - 1;
    const field = (columns[column] ?? 'file').split('\u0000').join('') || 'file';
    return [{ field, line: index + 1, reason: 'must not contain NUL bytes' }];
  });
}
