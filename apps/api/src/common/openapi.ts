import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, getSchemaPath } from '@nestjs/swagger';

export class ProblemDto {
  @ApiProperty({ example: 'about:blank' }) type: string;
  @ApiProperty({ example: 'Unprocessable Content' }) title: string;
  @ApiProperty({ example: 422 }) status: number;
  @ApiProperty() detail: string;
  @ApiProperty({ required: false }) instance?: string;
  @ApiProperty({ required: false }) requestId?: string;
  @ApiProperty({
    required: false,
    type: 'array',
    items: {
      type: 'object',
      properties: { field: { type: 'string' }, reason: { type: 'string' }, line: { type: 'integer' } },
      required: ['field', 'reason'],
    },
  })
  errors?: { field: string; reason: string; line?: number }[];
}

/** A paginated list of `model`: `{ items, total, limit, offset }`. */
export const ApiPage = <T extends Type<unknown>>(model: T) =>
  applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['items', 'total', 'limit', 'offset'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          total: { type: 'integer' },
          limit: { type: 'integer' },
          offset: { type: 'integer' },
        },
      },
    }),
  );
