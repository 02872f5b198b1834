import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { LOCALES, SECTORS, type Locale, type Sector } from '@luotsi/database';

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: SECTORS }) sector: Sector;
  @ApiProperty() headcount: number;
  @ApiProperty({ enum: LOCALES }) defaultLocale: Locale;
  @ApiProperty({ example: 'Europe/Helsinki' }) timeZone: string;
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
}

export class UpdateOrganizationDto extends PartialType(CreateOrganizationDto) {}
