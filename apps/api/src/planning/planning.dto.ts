import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  KEY_RESULT_KINDS,
  KEY_RESULT_MEASURES,
  PLANNING_ENTRY_KINDS,
  PLANNING_ENTRY_STATUSES,
  type KeyResultKind,
  type KeyResultMeasure,
  type PlanningEntryKind,
  type PlanningEntryStatus,
} from '@luotsi/database';
import { HINT_CODES, type HintCode } from '@luotsi/domain';

export class PlanningEntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) objectiveId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null when about the objective' })
  keyResultId: string | null;
  @ApiProperty({ format: 'uuid', description: 'The participant who wrote it' }) participantId: string;
  @ApiProperty({ example: 'Aino Virtanen' }) authorName: string;
  @ApiProperty({
    enum: PLANNING_ENTRY_KINDS,
    description: '`comment`, `rewording` (with `proposedTitle`) or `volunteer` ("I can own this")',
  })
  kind: PlanningEntryKind;
  @ApiProperty({ example: 'Could we measure this by what customers say?' }) body: string;
  @ApiProperty({ type: String, nullable: true, description: 'The proposed title of a rewording' })
  proposedTitle: string | null;
  @ApiProperty({
    enum: PLANNING_ENTRY_STATUSES,
    description: '`open` until the coach resolves it or accepts it',
  })
  status: PlanningEntryStatus;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ description: 'Changed when its author edits it' }) updatedAt: Date;
  @ApiProperty({ type: Date, nullable: true }) closedAt: Date | null;
}

export class DraftHintDto {
  @ApiProperty({ enum: HINT_CODES }) code: HintCode;
  @ApiPropertyOptional({ format: 'uuid' }) keyResultId?: string;
}

export class DraftKeyResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: KEY_RESULT_KINDS }) kind: KeyResultKind;
  @ApiProperty({ enum: KEY_RESULT_MEASURES }) measure: KeyResultMeasure;
  @ApiProperty({ type: Number, nullable: true }) start: number | null;
  @ApiProperty({ type: Number, nullable: true }) target: number | null;
  @ApiProperty() unit: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ownerId: string | null;
  @ApiProperty({ type: String, nullable: true }) ownerName: string | null;
  @ApiProperty({ type: [PlanningEntryDto] }) entries: PlanningEntryDto[];
  @ApiProperty({ type: [String], description: 'Earlier wordings before accepted rewordings, oldest first' })
  previousTitles: string[];
}

export class DraftObjectiveDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) ownerId: string | null;
  @ApiProperty({ type: String, nullable: true }) ownerName: string | null;
  @ApiProperty({ type: [DraftHintDto], description: 'Quality hints from the OKR rules' })
  hints: DraftHintDto[];
  @ApiProperty({ type: [PlanningEntryDto] }) entries: PlanningEntryDto[];
  @ApiProperty({ type: [String] }) previousTitles: string[];
  @ApiProperty({ type: [DraftKeyResultDto] }) keyResults: DraftKeyResultDto[];
}

export class PlanningDto {
  @ApiProperty({ format: 'uuid' }) quarterId: string;
  @ApiProperty({ example: '2027-Q2' }) quarterLabel: string;
  @ApiProperty({ description: 'True while the quarter has not started: the dialogue is open' }) open: boolean;
  @ApiProperty({ format: 'date', description: 'The day before the quarter starts' }) closesOn: string;
  @ApiProperty({ type: [DraftObjectiveDto] }) objectives: DraftObjectiveDto[];
}
