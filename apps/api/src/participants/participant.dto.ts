import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { LEVELS, LOCALES, type Level, type Locale } from '@luotsi/database';
import { PageQuery } from '../common/params';
import { ReadAsDto } from '../common/csv-upload';

export class ParticipantDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: LOCALES }) locale: Locale;
  @ApiProperty({ enum: LEVELS }) level: Level;
  @ApiProperty() timeZone: string;
  @ApiProperty({ nullable: true }) unsubscribedAt: Date | null;
  @ApiProperty({
    nullable: true,
    description: 'Set when their mail bounced for good: they get no mail until a coach clears it',
  })
  bouncedAt: Date | null;
  @ApiProperty({ nullable: true, description: "The bounce's status and the mail server's words" })
  bounceReason: string | null;
  @ApiProperty({ nullable: true, format: 'uuid', description: 'The outbox message that bounced' })
  bouncedMail: string | null;
  @ApiProperty() createdAt: Date;
}

export class AddParticipantDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ enum: LOCALES, description: "Defaults to the organization's locale" })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
  @ApiProperty({ enum: LEVELS }) @IsIn(LEVELS) level: Level;
  @ApiPropertyOptional({ description: "Defaults to the organization's time zone" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;
}

export class UpdateParticipantDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES) locale?: Locale;
  @ApiPropertyOptional({ enum: LEVELS }) @IsOptional() @IsIn(LEVELS) level?: Level;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) timeZone?: string;
}

export class ParticipantSearch extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of an email or a name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

export class ImportSummaryDto {
  @ApiProperty() rows: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() addedToPilot: number;
  @ApiProperty() alreadyInPilot: number;
  @ApiPropertyOptional({
    type: ReadAsDto,
    description:
      "How the file was read, when not as UTF-8 text: Windows-1252, UTF-16, or a workbook's first sheet",
  })
  readAs?: ReadAsDto;
}
