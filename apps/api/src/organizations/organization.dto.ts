import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LOCALES, SECTORS, type Locale, type Sector } from '@luotsi/database';

const MONTH_DAY = /^\d{2}-\d{2}$/;

/** A period of every year without cadence mail; steps due in it go on the first day after it. */
export class QuietPeriodDto {
  @ApiProperty({ example: '07-01', description: 'First day, MM-DD' })
  @IsString()
  @Matches(MONTH_DAY, { message: 'must be a day of the year as MM-DD, e.g. 07-01' })
  start: string;
  @ApiProperty({
    example: '07-31',
    description: 'Last day, MM-DD (inclusive); before start: runs over the new year',
  })
  @IsString()
  @Matches(MONTH_DAY, { message: 'must be a day of the year as MM-DD, e.g. 07-31' })
  end: string;
  @ApiPropertyOptional({ example: 'Summer holiday' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;
}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SECTORS }) sector: Sector;
  @ApiProperty() headcount: number;
  @ApiProperty({ enum: LOCALES }) defaultLocale: Locale;
  @ApiProperty({ example: 'Europe/Helsinki' }) timeZone: string;
  @ApiProperty({ type: QuietPeriodDto, isArray: true }) quietPeriods: QuietPeriodDto[];
  @ApiProperty({
    example: 1,
    description: 'The month (1–12) its fiscal year starts in; 1 = the calendar year',
  })
  fiscalYearStartMonth: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CreateOrganizationDto {
  @ApiProperty({ example: 'Kansaneläkelaitos' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ enum: SECTORS }) @IsIn(SECTORS) sector: Sector;
  @ApiProperty({ example: 8000 }) @IsInt() @Min(1) @Max(10_000_000) headcount: number;
  @ApiPropertyOptional({ enum: LOCALES, default: 'fi' }) @IsOptional() @IsIn(LOCALES) defaultLocale?: Locale;
  @ApiPropertyOptional({ default: 'Europe/Helsinki' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;
  @ApiPropertyOptional({
    type: QuietPeriodDto,
    isArray: true,
    default: [],
    description: 'Recurring periods of every year (e.g. the July holiday) in which no cadence mail goes',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => QuietPeriodDto)
  quietPeriods?: QuietPeriodDto[];
  @ApiPropertyOptional({
    default: 1,
    minimum: 1,
    maximum: 12,
    description:
      'The month its fiscal year starts in (1 = calendar year). A fiscal year is named after the calendar year it ends in; quarters of pilots created later follow it',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  fiscalYearStartMonth?: number;
}

export class UpdateOrganizationDto extends PartialType(CreateOrganizationDto) {}
