import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { REPORT_KINDS, SHARE_AUDIENCES, type ReportKind, type ShareAudience } from '@luotsi/database';
import { SHARE_DEFAULT_DAYS, SHARE_MAX_DAYS, type ShareStatus } from '@luotsi/domain';

export class CreateReportShareDto {
  @ApiProperty({
    enum: SHARE_AUDIENCES,
    description: 'coach: the report as built; sponsor: without free text of groups under k',
  })
  @IsIn(SHARE_AUDIENCES)
  audience: ShareAudience;

  @ApiPropertyOptional({ minimum: 1, maximum: SHARE_MAX_DAYS, default: SHARE_DEFAULT_DAYS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(SHARE_MAX_DAYS)
  expiresInDays?: number;
}

export class ReportShareDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REPORT_KINDS }) reportKind: ReportKind;
  @ApiProperty({ format: 'uuid' }) reportId: string;
  @ApiProperty({ enum: SHARE_AUDIENCES }) audience: ShareAudience;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: ShareStatus;
  @ApiProperty({ format: 'date-time' }) expiresAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when made for a mail' })
  createdById: string | null;
}

export class CreatedReportShareDto extends ReportShareDto {
  @ApiProperty({
    example: 'https://luotsi.example.fi/s/s_Q2xv…',
    description: 'The link, shown this once: only a hash of its token is kept',
  })
  url: string;
}
