import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CARRY_OVER_ACTIONS, type CarryOverAction } from '@luotsi/domain';

export class PersonRhythmDto {
  @ApiProperty({ format: 'uuid' }) participantId: string;
  @ApiProperty({ description: 'Weeks 1 up to the current week' }) due: number;
  @ApiProperty({ description: 'Of those, weeks with a check-in for any of their key results' }) done: number;
  @ApiProperty({ type: Number, nullable: true, description: 'done / due, 4 decimals' }) share: number | null;
}

export class RhythmDto {
  @ApiProperty() due: number;
  @ApiProperty() done: number;
  @ApiProperty({ type: Number, nullable: true }) share: number | null;
  @ApiProperty({ type: [PersonRhythmDto] }) people: PersonRhythmDto[];
}

export class ConfidencePointDto {
  @ApiProperty() week: number;
  @ApiProperty({ minimum: 0, maximum: 10 }) confidence: number;
}

export class ConfidenceTrajectoryDto {
  @ApiProperty({ format: 'uuid' }) keyResultId: string;
  @ApiProperty({ format: 'uuid' }) objectiveId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [ConfidencePointDto], description: 'Recorded weeks, in order' })
  weeks: ConfidencePointDto[];
}

export class ConfidenceDropDto {
  @ApiProperty({ format: 'uuid' }) keyResultId: string;
  @ApiProperty({ description: 'The previous recorded week' }) fromWeek: number;
  @ApiProperty() toWeek: number;
  @ApiProperty() from: number;
  @ApiProperty() to: number;
  @ApiProperty({ minimum: 3 }) drop: number;
}

export class StillKeyResultDto {
  @ApiProperty({ format: 'uuid' }) keyResultId: string;
  @ApiProperty({ format: 'uuid' }) objectiveId: string;
  @ApiProperty() title: string;
  @ApiProperty() checkIns: number;
}

export class CommittedDto {
  @ApiProperty() total: number;
  @ApiProperty({ description: 'Scored 1.0, or (unscored) done / metric at its target' }) met: number;
  @ApiProperty({ type: Number, nullable: true }) share: number | null;
}

export class AspirationalDto {
  @ApiProperty() scored: number;
  @ApiProperty({ type: Number, nullable: true }) average: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Population standard deviation' })
  spread: number | null;
}

export class PracticeSignalsDto {
  @ApiProperty({ format: 'uuid' }) quarterId: string;
  @ApiProperty({ format: 'uuid' }) pilotId: string;
  @ApiProperty({ description: '0 before the quarter starts' }) currentWeek: number;
  @ApiProperty() weeksInQuarter: number;
  @ApiProperty({ type: RhythmDto }) rhythm: RhythmDto;
  @ApiProperty({ type: [ConfidenceTrajectoryDto] }) confidence: ConfidenceTrajectoryDto[];
  @ApiProperty({ type: [ConfidenceDropDto], description: 'Drops of 3 or more between recorded weeks' })
  confidenceDrops: ConfidenceDropDto[];
  @ApiProperty({ type: [StillKeyResultDto], description: 'No check-in moved them from their start' })
  noMovement: StillKeyResultDto[];
  @ApiProperty({ type: CommittedDto }) committed: CommittedDto;
  @ApiProperty({ type: AspirationalDto }) aspirational: AspirationalDto;
}

export class CarryOverDecisionDto {
  @ApiProperty({ format: 'uuid', description: 'An objective of the quarter being left' })
  @IsUUID()
  objectiveId: string;
  @ApiProperty({ enum: CARRY_OVER_ACTIONS }) @IsIn(CARRY_OVER_ACTIONS) action: CarryOverAction;
  @ApiPropertyOptional({ maxLength: 300, description: 'The new title; modify only' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  title?: string;
}

export class CarryOverDto {
  @ApiProperty({ type: [CarryOverDecisionDto], description: 'Exactly one per objective of the quarter' })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CarryOverDecisionDto)
  decisions: CarryOverDecisionDto[];
}

export class CarryOverOutcomeDto {
  @ApiProperty({ format: 'uuid' }) objectiveId: string;
  @ApiProperty({ enum: CARRY_OVER_ACTIONS }) action: CarryOverAction;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) carriedObjectiveId: string | null;
  @ApiProperty({ description: 'False when an earlier carry-over already did this' }) changed: boolean;
}

export class CarryOverResultDto {
  @ApiProperty({ format: 'uuid' }) fromQuarterId: string;
  @ApiProperty({ format: 'uuid' }) toQuarterId: string;
  @ApiProperty({ type: [CarryOverOutcomeDto] }) outcomes: CarryOverOutcomeDto[];
}
