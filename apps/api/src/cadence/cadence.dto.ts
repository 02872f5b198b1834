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
  ANONYMITY_MODES,
  AUDIENCES,
  LEVELS,
  STEP_ANCHORS,
  STEP_KINDS,
  type AnonymityMode,
  type Audience,
  type Level,
  type StepAnchor,
  type StepKind,
} from '@luotsi/database';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export class StepTextDto {
  @ApiProperty({ example: 'Veckans avstämning, {{recipient.firstName}}' })
  @IsString()
  @MaxLength(200)
  subject: string;
  @ApiProperty({ example: '<p>Hej {{recipient.firstName}}!</p>' })
  @IsString()
  @MaxLength(20_000)
  body: string;
}

/** A step's own text per language; a language left out uses the step's template. */
export class StepTextsDto {
  @ApiPropertyOptional({ type: StepTextDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StepTextDto)
  fi?: StepTextDto;
  @ApiPropertyOptional({ type: StepTextDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StepTextDto)
  sv?: StepTextDto;
  @ApiPropertyOptional({ type: StepTextDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StepTextDto)
  en?: StepTextDto;
}

export class RetrospectiveChoiceDto {
  @ApiProperty({
    example: 'builtin:end-of-quarter',
    description: "`builtin:end-of-quarter` or the id of one of the workspace's question sets",
  })
  @IsString()
  @MaxLength(60)
  questionSetId: string;
  @ApiProperty({ enum: ANONYMITY_MODES }) @IsIn(ANONYMITY_MODES) anonymity: AnonymityMode;
  @ApiProperty({ minimum: 3, maximum: 100, description: 'k: no figure published for fewer answers' })
  @IsInt()
  @Min(3)
  @Max(100)
  minGroupSize: number;
}

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
  @ApiProperty({
    enum: AUDIENCES,
    description:
      '`level`: the participants of `audienceLevel`; `non_responders`: no check-in in the quarter yet ' +
      "(prompt, checkin_request) or no answer to the quarter's retrospective (retrospective_close)",
  })
  @IsIn(AUDIENCES)
  audience: Audience;
  @ApiPropertyOptional({ enum: LEVELS, nullable: true, description: 'With the audience `level` only' })
  @IsOptional()
  @IsIn(LEVELS)
  audienceLevel?: Level | null;
  @ApiPropertyOptional({
    type: StepTextsDto,
    description: "The step's own subject and body per language, checked like a template override",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StepTextsDto)
  texts?: StepTextsDto;
  @ApiPropertyOptional({
    type: RetrospectiveChoiceDto,
    description: 'On a retrospective_open step: the run it opens (default: built-in set, anonymous, k = 5)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RetrospectiveChoiceDto)
  retrospective?: RetrospectiveChoiceDto;
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

export class UpdatePilotCadenceDto {
  @ApiProperty({ type: [CadenceStepDto], description: "The pilot's own steps (DELETE to inherit again)" })
  @IsArray()
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => CadenceStepDto)
  steps: CadenceStepDto[];
}

export class PilotCadencePlanDto extends CadencePlanDto {
  @ApiProperty({ format: 'uuid' }) pilotId: string;
  @ApiProperty({ description: "True while the pilot follows its rollout's plan (shown here)" })
  inherited: boolean;
}

export class StepPreviewDto {
  @ApiProperty({ format: 'uuid' }) pilotId: string;
  @ApiProperty({ format: 'uuid' }) quarterId: string;
  @ApiProperty({ format: 'uuid' }) participantId: string;
  @ApiProperty() stepKey: string;
  @ApiProperty() template: string;
  @ApiProperty({ enum: ['fi', 'sv', 'en'] }) locale: string;
  @ApiProperty({ enum: ['step', 'rollout', 'organization', 'workspace', 'builtin'] }) source: string;
  @ApiProperty() subject: string;
  @ApiProperty() text: string;
  @ApiProperty() html: string;
}
