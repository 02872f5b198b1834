import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_PAGE, MAX_PAGE_LIMIT, NotFoundError, PageRequest } from '@luotsi/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is a UUID (an id Luotsi could have issued). */
export const isUuid = (value: string): boolean => UUID.test(value);

/** A path id that is not a UUID names nothing: 404, the same answer as another workspace's id. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  constructor(private readonly label: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw new NotFoundError(this.label);
    return value.toLowerCase();
  }
}

export const Id = (label: string) => new IdPipe(label);

export class PageQuery implements PageRequest {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE.limit })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit: number = DEFAULT_PAGE.limit;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = DEFAULT_PAGE.offset;
}
