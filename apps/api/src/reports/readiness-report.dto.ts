import { ApiProperty, ApiPropertyOptional, type SchemaObject } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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
  READINESS_VERDICTS,
  REPORT_STATUSES,
  ROLLOUT_DECISIONS,
  type Level,
  type ReadinessVerdict,
  type ReportStatus,
  type RolloutDecisionKind,
} from '@luotsi/database';
import { PilotDto } from '../pilots/pilot.dto';
import { MAX_REASON, MAX_WAVE_PILOTS, READINESS_GATES, READINESS_THRESHOLDS, type ReadinessGateKey } from '@luotsi/domain';

/** The thresholds as a schema, from the same table the domain validates against. */
export const THRESHOLDS_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    Object.entries(READINESS_THRESHOLDS).map(([key, spec]) => [
      key,
      {
        type: 'integer' in spec && spec.integer ? 'integer' : 'number',
        minimum: spec.min,
        maximum: spec.max,
        ...('default' in spec ? { default: spec.default } : {}),
        description: spec.description,
      },
    ]),
  ),
};

const NUMBERS_SCHEMA = {
  type: 'object' as const,
  additionalProperties: { oneOf: [{ type: 'number' }, { type: 'string' }], nullable: true },
};

export class ThresholdsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'What the gates use: the defaults with the overrides',
  })
  thresholds: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'What the coach set for this rollout',
  })
  overrides: Record<string, number>;
}

export class LearningReportLinkDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) pilotId: string;
  @ApiProperty() pilotName: string;
  @ApiProperty({ example: '2027-Q2' }) quarterLabel: string;
}

export class PilotNumbersDto {
  @ApiProperty({ format: 'uuid' }) pilotId: string;
  @ApiProperty() pilotName: string;
  @ApiProperty() quarterLabel: string;
  @ApiProperty(NUMBERS_SCHEMA) numbers: Record<string, number | string | null>;
}

export class ReadinessGateDto {
  @ApiProperty({ enum: READINESS_GATES }) key: ReadinessGateKey;
  @ApiProperty() passed: boolean;
  @ApiProperty({ description: 'What was measured against what, in one sentence' }) summary: string;
  @ApiProperty({ ...NUMBERS_SCHEMA, description: 'The numbers the gate used' })
  numbers: Record<string, number | string | null>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  thresholds: Record<string, number>;
  @ApiProperty({ type: [LearningReportLinkDto], description: 'The learning reports behind the numbers' })
  learningReports: LearningReportLinkDto[];
  @ApiPropertyOptional({ type: [PilotNumbersDto] }) byPilot?: PilotNumbersDto[];
}

export class NextWaveBasisDto {
  @ApiProperty() targetHeadcount: number;
  @ApiProperty() participantsInPilots: number;
  @ApiProperty() remainingHeadcount: number;
  @ApiProperty() largestPilot: number;
  @ApiProperty() waveSizeFactor: number;
  @ApiProperty() participantsPerCoachMax: number;
}

export class NextWaveDto {
  @ApiProperty({ description: 'min(remaining headcount, waveSizeFactor × the largest pilot)' }) size: number;
  @ApiProperty({ enum: LEVELS, isArray: true }) levels: Level[];
  @ApiProperty({ enum: LEVELS, isArray: true, description: 'Levels no pilot has had yet' }) newLevels: Level[];
  @ApiProperty({ description: 'ceil(size / participantsPerCoachMax)' }) coachesNeeded: number;
  @ApiProperty({ example: '2027-Q3' }) startQuarter: string;
  @ApiProperty({ type: NextWaveBasisDto }) basis: NextWaveBasisDto;
}

export class ReadinessContentDto {
  @ApiProperty({ enum: [1] }) version: 1;
  @ApiProperty() builtAt: string;
  @ApiProperty({
    type: 'object',
    properties: { id: { type: 'string' }, name: { type: 'string' }, headcount: { type: 'integer' } },
  })
  organization: { id: string; name: string; headcount: number };
  @ApiProperty({
    type: 'object',
    properties: {
      id: { type: 'string' },
      goal: { type: 'string' },
      targetHeadcount: { type: 'integer' },
      plannedWaves: { type: 'integer' },
      status: { type: 'string' },
    },
  })
  rollout: { id: string; goal: string; targetHeadcount: number; plannedWaves: number; status: string };
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) thresholds: Record<string, number>;
  @ApiProperty({ type: [ReadinessGateDto] }) gates: ReadinessGateDto[];
  @ApiProperty({ enum: READINESS_VERDICTS }) verdict: ReadinessVerdict;
  @ApiProperty({ enum: READINESS_GATES, isArray: true, description: 'The failing gates' })
  conditions: ReadinessGateKey[];
  @ApiProperty({ type: NextWaveDto }) nextWave: NextWaveDto;
}

export class DecidedByDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class RolloutDecisionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) readinessReportId: string;
  @ApiProperty({ enum: ROLLOUT_DECISIONS }) decision: RolloutDecisionKind;
  @ApiProperty() reason: string;
  @ApiProperty({ type: DecidedByDto, nullable: true }) decidedBy: DecidedByDto | null;
  @ApiProperty() decidedAt: string;
}

export class ReadinessReportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) rolloutId: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status: ReportStatus;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty({ enum: READINESS_VERDICTS, nullable: true }) verdict: ReadinessVerdict | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) builtAt: Date | null;
  @ApiProperty({ type: ReadinessContentDto, nullable: true, description: 'Null until the report is ready' })
  content: ReadinessContentDto | null;
  @ApiProperty({ type: RolloutDecisionDto, nullable: true, description: 'The latest decision on this report' })
  decision: RolloutDecisionDto | null;
}

export class DecisionDto {
  @ApiProperty({ enum: ROLLOUT_DECISIONS }) @IsIn(ROLLOUT_DECISIONS) decision: RolloutDecisionKind;
  @ApiProperty({ minLength: 1, maxLength: MAX_REASON, example: 'Widen to the service units in Q3.' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_REASON)
  reason: string;
}

export class NextWavePilotDto {
  @ApiPropertyOptional({ example: 'Wave 2: service units', description: 'Default: "Wave {n}" in the organization\'s language' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
  @ApiPropertyOptional({ minimum: 1, description: "Participants planned; default: the proposal's size (shared among the pilots without one)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  size?: number;
  @ApiPropertyOptional({ enum: LEVELS, isArray: true, description: "Default: the proposal's levels" })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LEVELS.length)
  @IsIn(LEVELS, { each: true })
  levels?: Level[];
  @ApiPropertyOptional({ example: '2027-Q3', description: "Default: the proposal's start quarter" })
  @IsOptional()
  @Matches(/^\d{4}-Q[1-4]$/, { message: 'must be a calendar quarter like 2027-Q1' })
  startQuarter?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: "Default: the previous wave's coach" })
  @IsOptional()
  @IsUUID()
  coachId?: string | null;
}

export class NextWaveRequestDto {
  @ApiPropertyOptional({
    type: [NextWavePilotDto],
    maxItems: MAX_WAVE_PILOTS,
    description: 'The wave\'s pilots; default: one pilot as proposed',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_WAVE_PILOTS)
  @ValidateNested({ each: true })
  @Type(() => NextWavePilotDto)
  pilots?: NextWavePilotDto[];
}

export class NextWaveDtoResult {
  @ApiProperty({ description: 'False when the wave existed already (then the answer is 200, not 201)' })
  created: boolean;
  @ApiProperty({ format: 'uuid' }) readinessReportId: string;
  @ApiProperty({ format: 'uuid', description: 'The go decision the pilots were created from' })
  decisionId: string;
  @ApiProperty() waveNumber: number;
  @ApiProperty({ type: [PilotDto] }) pilots: PilotDto[];
}
