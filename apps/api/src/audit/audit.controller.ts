import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AuditLog } from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { PageQuery } from '../common/params';

class AuditQueryDto extends PageQuery {
  @ApiPropertyOptional({ example: 'pilot' }) @IsOptional() @IsString() @MaxLength(50) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) entityId?: string;
  @ApiPropertyOptional({ example: 'pilot.start' }) @IsOptional() @IsString() @MaxLength(100) action?: string;
}

@ApiTags('audit')
@Authenticated()
@Roles('owner')
@Controller('audit-log')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  list(@Query() { limit, offset, ...filter }: AuditQueryDto) {
    return this.audit.list({ limit, offset }, filter);
  }
}
