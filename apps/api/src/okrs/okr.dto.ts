import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  KEY_RESULT_KINDS,
  KEY_RESULT_MEASURES,
  LEVELS,
  type KeyResultKind,
  type KeyResultMeasure,
  type Level,
} from '@luotsi/database';
import { BANDS, HINT_CODES, type Band, type HintCode } from '@luotsi/domain';
import { ReadAsDto } from '../common/csv-upload';

export class QualityHintDto {
  @ApiProperty({ enum: HINT_CODES }) code: HintCode;
  @ApiProperty({ example: 'The objective has 1 key result; 2 to 5 describe an outcome well.' })
  message: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The key result the hint is about' })
  keyResultId?: string;
}

export class KeyResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) objectiveId: string;
  @ApiProperty({ format: 'uuid' }) quarterId: string;
  @ApiProperty({ format: 'uuid' }) pilotId: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ example: 'Customer satisfaction from 62 to 75' }) title: string;
  @ApiProperty({ enum: KEY_RESULT_KINDS }) kind: KeyResultKind;
  @ApiProperty({ enum: KEY_RESULT_MEASURES }) measure: KeyResultMeasure;
  @ApiProperty({ type: Number, nullable: true, example: 62 }) start: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 75 }) target: number | null;
  @ApiProperty({ example: 'points' }) unit: string;
  @ApiProperty({ type: Number, nullable: true, description: 'The latest recorded value (metric)' })
  current: number | null;
  @ApiProperty({ description: 'Milestone or binary: done' }) done: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ownerId: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 10,
    description: 'The latest confidence',
  })
  confidence: number | null;
  @ApiProperty({ type: Date, nullable: true }) recordedAt: Date | null;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1 }) finalScore: number | null;
  @ApiProperty({ type: Date, nullable: true }) scoredAt: Date | null;
  @ApiProperty() position: number;
  @ApiProperty({
    minimum: 0,
    maximum: 1,
    description: 'From start, target and current; a target below the start means lower is better',
  })
  progress: number;
  @ApiProperty({
    enum: BANDS,
    nullable: true,
    description: 'Of the final score, or of progress until scored: 0.7–1 green, 0.4–0.69 yellow, below red',
  })
  band: Band | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class KeyResultResultDto extends KeyResultDto {
  @ApiProperty({ type: Number, nullable: true, description: "The objective's score after the change" })
  objectiveScore: number | null;
  @ApiProperty({ type: [QualityHintDto], description: "The objective's quality hints (warnings)" })
  hints: QualityHintDto[];
}

export class ObjectiveDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) quarterId: string;
  @ApiProperty({ format: 'uuid' }) pilotId: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ example: 'Customers notice that we answer faster' }) title: string;
  @ApiProperty() description: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'A participant of the pilot; null means the whole pilot group',
  })
  ownerId: string | null;
  @ApiProperty({ enum: LEVELS, nullable: true }) level: Level | null;
  @ApiProperty() position: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) carriedFromId: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "The mean of the key results' final scores; null until one is scored",
  })
  finalScore: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The mean progress of the key results' })
  progress: number | null;
  @ApiProperty({ enum: BANDS, nullable: true }) band: Band | null;
  @ApiProperty({ type: [QualityHintDto], description: 'Warnings that follow common OKR practice' })
  hints: QualityHintDto[];
  @ApiProperty({ type: [KeyResultDto] }) keyResults: KeyResultDto[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CreateKeyResultDto {
  @ApiProperty({ example: 'Customer satisfaction from 62 to 75', maxLength: 300 })
  @IsString()
  @MaxLength(300)
  title: string;
  @ApiPropertyOptional({ enum: KEY_RESULT_KINDS, default: 'committed' })
  @IsOptional()
  @IsIn(KEY_RESULT_KINDS)
  kind?: KeyResultKind;
  @ApiProperty({ enum: KEY_RESULT_MEASURES }) @IsIn(KEY_RESULT_MEASURES) measure: KeyResultMeasure;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Metric only' })
  @IsOptional()
  @IsNumber()
  start?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Metric only; must differ from start' })
  @IsOptional()
  @IsNumber()
  target?: number | null;
  @ApiPropertyOptional({ nullable: true, maxLength: 40, description: 'Metric only' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  unit?: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Metric: the current value' })
  @IsOptional()
  @IsNumber()
  current?: number | null;
  @ApiPropertyOptional({ description: 'Milestone or binary: done' })
  @IsOptional()
  @IsBoolean()
  done?: boolean | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  confidence?: number | null;
}

export class UpdateKeyResultDto extends PartialType(CreateKeyResultDto) {
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) position?: number;
}

export class CreateObjectiveDto {
  @ApiProperty({ example: 'Customers notice that we answer faster', maxLength: 300 })
  @IsString()
  @MaxLength(300)
  title: string;
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'A participant of the pilot; omitted or null means the whole pilot group',
  })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;
  @ApiPropertyOptional({ enum: LEVELS, nullable: true, description: "One of the pilot's levels" })
  @IsOptional()
  @IsIn(LEVELS)
  level?: Level | null;
  @ApiPropertyOptional({ type: [CreateKeyResultDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CreateKeyResultDto)
  keyResults?: CreateKeyResultDto[];
}

export class UpdateObjectiveDto {
  @ApiPropertyOptional({ maxLength: 300 }) @IsOptional() @IsString() @MaxLength(300) title?: string;
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;
  @ApiPropertyOptional({ enum: LEVELS, nullable: true }) @IsOptional() @IsIn(LEVELS) level?: Level | null;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) position?: number;
}

export class ScoreDto {
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.7, description: 'The final score, 0.0–1.0' })
  @IsNumber()
  @Min(0)
  @Max(1)
  score: number;
}

export class OkrImportSummaryDto {
  @ApiProperty() rows: number;
  @ApiProperty() objectivesCreated: number;
  @ApiProperty() objectivesUnchanged: number;
  @ApiProperty() keyResultsCreated: number;
  @ApiProperty() keyResultsUpdated: number;
  @ApiProperty() keyResultsUnchanged: number;
  @ApiPropertyOptional({
    type: ReadAsDto,
    description:
      "How the file was read, when not as UTF-8 text: Windows-1252, UTF-16, or a workbook's first sheet",
  })
  readAs?: ReadAsDto;
}
