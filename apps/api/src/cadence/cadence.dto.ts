import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  ValidateNested,
} from 'class-validator';
import {
  AUDIENCES,
  STEP_ANCHORS,
  STEP_KINDS,
  type Audience,
  type StepAnchor,
  type StepKind,
} from '@luotsi/database';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export class CadenceStepDto {
  @ApiProperty({ example: 'kickoff', description: 'Stable name of the step; part of each outbox key' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, {
    message: 'lower-case letters, digits and -, at most 40 characters',
  })
  key: string;
  @ApiProperty({ enum: STEP_KINDS }) @IsIn(STEP_KINDS) kind: StepKind;
  @ApiProperty({ enum: STEP_ANCHORS, description: "Count days from the quarter's first or last day" })
  @IsIn(STEP_ANCHORS)
  anchor: StepAnchor;
  @ApiProperty({ example: 0 }) @IsInt() @Min(-92) @Max(120) offsetDays: number;
  @ApiProperty({ example: '09:00', description: "Local time in the recipient's time zone" })
  @Matches(TIME, { message: 'a time HH:MM' })
  sendTime: string;
  @ApiProperty({ example: 'prompt-kickoff' }) @IsString() @MaxLength(60) template: string;
  @ApiProperty({ enum: AUDIENCES }) @IsIn(AUDIENCES) audience: Audience;
}

export class QuietHoursDto {
  @ApiProperty({ example: '20:00' }) @Matches(TIME, { message: 'a time HH:MM' }) start: string;
  @ApiProperty({ example: '07:00' }) @Matches(TIME, { message: 'a time HH:MM' }) end: string;
}

export class UpdateCadenceDto {
  @ApiPropertyOptional({ type: [CadenceStepDto], description: 'Replaces every step' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => CadenceStepDto)
  steps?: CadenceStepDto[];
  @ApiPropertyOptional({ minimum: 1, maximum: 50, description: 'Emails a participant may get in any 7 days' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  weeklyEmailCap?: number;
  @ApiPropertyOptional({ type: QuietHoursDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto;
}

export class CadencePlanDto {
  @ApiProperty({ format: 'uuid' }) rolloutId: string;
  @ApiProperty({ description: 'False while the rollout follows the default plan' }) custom: boolean;
  @ApiProperty() weeklyEmailCap: number;
  @ApiProperty({ type: QuietHoursDto }) quietHours: QuietHoursDto;
  @ApiProperty({ type: [CadenceStepDto] }) steps: CadenceStepDto[];
}
