import { applyDecorators, HttpCode, Injectable, PipeTransform, Type } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { InvalidInputError } from '@luotsi/domain';
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
    return body;
  }
}
