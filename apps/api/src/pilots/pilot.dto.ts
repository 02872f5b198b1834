import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  LEVELS,
  PILOT_STATES,
  QUARTER_STATES,
  type Level,
  type PilotState,
  type QuarterState,
} from '@luotsi/database';

export class QuarterDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) pilotId: string;
  @ApiProperty({ example: 1 }) number: number;
  @ApiProperty({ example: '2027-Q1' }) label: string;
  @ApiProperty({ example: '2027-01-01' }) startsOn: string;
  @ApiProperty({ example: '2027-03-31' }) endsOn: string;
  @ApiProperty() startsAt: Date;
  @ApiProperty() endsAt: Date;
  @ApiProperty({ enum: QUARTER_STATES }) state: QuarterState;
  @ApiProperty({ nullable: true }) activatedAt: Date | null;
  @ApiProperty({ nullable: true }) closedAt: Date | null;
}

export class CharterDto {
  @ApiPropertyOptional({ example: 'Strategy execution in the benefits division' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  scope?: string;
  @ApiPropertyOptional({ example: 'Weekly check-ins by 75% of the group; first results within two quarters' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  successCriteria?: string;
  @ApiPropertyOptional({ example: '2027-12-15', nullable: true })
  @IsOptional()
  @IsDateString({ strict: true })
  decisionDate?: string | null;
}

export class PilotDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) rolloutId: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() name: string;
  @ApiProperty() waveNumber: number;
  @ApiProperty({ enum: LEVELS, isArray: true }) levels: Level[];
  @ApiProperty({ type: CharterDto }) charter: CharterDto;
  @ApiProperty({ format: 'uuid', nullable: true }) coachId: string | null;
  @ApiProperty({ example: '2027-Q1' }) startQuarter: string;
  @ApiProperty() quarterCount: number;
  @ApiProperty({ enum: PILOT_STATES }) state: PilotState;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "Participants planned (a next wave's size); null if never said",
  })
  plannedSize: number | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The go decision this pilot was created from as a next wave',
  })
  decisionId: string | null;
  @ApiProperty({
    description:
      "At a quarter's end, wait for the coach's review instead of moving on to the next quarter by itself",
  })
  waitForReview: boolean;
  @ApiProperty({ type: QuarterDto, nullable: true }) currentQuarter: QuarterDto | null;
}

export class CreatePilotDto {
  @ApiProperty({ example: 'Board pilot' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(20) waveNumber: number;
  @ApiProperty({ enum: LEVELS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LEVELS.length)
  @IsIn(LEVELS, { each: true })
  levels: Level[];
  @ApiPropertyOptional({ type: CharterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CharterDto)
  charter?: CharterDto;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) @IsOptional() @IsUUID() coachId?: string | null;
  @ApiProperty({ example: '2027-Q1' })
  @Matches(/^\d{4}-Q[1-4]$/, { message: 'must be a calendar quarter like 2027-Q1' })
  startQuarter: string;
  @ApiPropertyOptional({ default: 4, minimum: 1, maximum: 12 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  quarterCount?: number;
  @ApiPropertyOptional({
    default: false,
    description:
      "At a quarter's end, wait for the coach's review (the portfolio shows it, the coach gets a reminder) instead of moving on by itself",
  })
  @IsOptional()
  @IsBoolean()
  waitForReview?: boolean;
}

export class UpdatePilotDto extends PartialType(CreatePilotDto) {}

export class ExtendPilotDto {
  @ApiPropertyOptional({ default: 2, minimum: 1, maximum: 4, description: 'Quarters to add' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4)
  quarters?: number;
}
