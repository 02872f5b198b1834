import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  ANONYMITY_MODES,
  LEVELS,
  LOCALES,
  QUARTER_STATES,
  REPORT_STATUSES,
  type AnonymityMode,
  type Level,
  type Locale,
  type QuarterState,
  type ReportStatus,
} from '@luotsi/database';
import {
  ADKAR_ELEMENTS,
  LEARNING_FLAGS,
  MAX_NOTE_LENGTH,
  QUESTION_TYPES,
  type AdkarElement,
  type AspirationalReading,
  type LearningFlagCode,
  type QuestionType,
} from '@luotsi/domain';
import { PracticeSignalsDto } from '../okrs/practice.dto';

const NUMBERS_SCHEMA = {
  type: 'object' as const,
  additionalProperties: { oneOf: [{ type: 'number' }, { type: 'string' }], nullable: true },
};

const FOUR_DECIMALS = 'Four decimals; null when there is nothing to count';

export class LevelResponseDto {
  @ApiProperty({ enum: LEVELS }) level: Level;
  @ApiPropertyOptional({ description: 'Invited at this level; absent when suppressed' }) of?: number;
  @ApiPropertyOptional({ description: 'Responded at this level; absent when suppressed' }) count?: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: FOUR_DECIMALS }) rate?: number | null;
  @ApiPropertyOptional({ enum: [true], description: 'Fewer than k responses: no numbers are given' })
  suppressed?: true;
  @ApiPropertyOptional({ example: 'fewer than k responses' }) reason?: string;
}

export class ResponseDto {
  @ApiProperty({ description: 'Invited' }) of: number;
  @ApiProperty({ description: 'Responded' }) count: number;
  @ApiProperty({ type: Number, nullable: true, description: FOUR_DECIMALS }) rate: number | null;
  @ApiProperty({ type: [LevelResponseDto] }) byLevel: LevelResponseDto[];
}

export class ValueCountDto {
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string' }], description: 'A scale point or an option key' })
  value: number | string;
  @ApiProperty() count: number;
}

export class TrendPointDto {
  @ApiProperty({ format: 'uuid' }) quarterId: string;
  @ApiProperty({ example: '2027-Q1' }) quarterLabel: string;
  @ApiProperty() responses: number;
  @ApiProperty({ type: Number, nullable: true }) mean: number | null;
}

export class LevelQuestionDto {
  @ApiProperty({ enum: LEVELS }) level: Level;
  @ApiPropertyOptional() responses?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) mean?: number | null;
  @ApiPropertyOptional({ enum: [true], description: 'Fewer than k answers at this level' }) suppressed?: true;
  @ApiPropertyOptional() reason?: string;
}

export class LocalizedTextDto {
  @ApiProperty() fi: string;
  @ApiProperty() sv: string;
  @ApiProperty() en: string;
}

export class QuestionSummaryDto {
  @ApiProperty() key: string;
  @ApiProperty({ enum: QUESTION_TYPES }) type: QuestionType;
  @ApiProperty({ type: LocalizedTextDto }) text: LocalizedTextDto;
  @ApiProperty({ description: 'Responses that answered it' }) responses: number;
  @ApiProperty({ type: [ValueCountDto], description: 'Every scale point or option, zeros included' })
  distribution: ValueCountDto[];
  @ApiProperty({ type: Number, nullable: true }) mean: number | null;
  @ApiProperty({ type: Number, nullable: true }) median: number | null;
  @ApiProperty({ type: [TrendPointDto], description: "The pilot's quarters up to this one, oldest first" })
  trend: TrendPointDto[];
  @ApiProperty({ type: [LevelQuestionDto] }) byLevel: LevelQuestionDto[];
}

export class NpsDto {
  @ApiProperty() responses: number;
  @ApiProperty({ description: 'Answers 9–10' }) promoters: number;
  @ApiProperty({ description: 'Answers 7–8' }) passives: number;
  @ApiProperty({ description: 'Answers 0–6' }) detractors: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '% promoters − % detractors, one decimal (half away from zero)',
  })
  score: number | null;
}

export class AdkarDto {
  @ApiProperty({ enum: ADKAR_ELEMENTS }) element: AdkarElement;
  @ApiProperty() responses: number;
  @ApiProperty({ type: Number, nullable: true }) mean: number | null;
  @ApiProperty({ description: 'A mean of 3 or less' }) barrier: boolean;
}

export class ScoreBandsDto {
  @ApiProperty({ description: 'Final score 0.7–1.0' }) green: number;
  @ApiProperty({ description: 'Final score 0.4–0.69' }) yellow: number;
  @ApiProperty({ description: 'Final score below 0.4' }) red: number;
  @ApiProperty() unscored: number;
}

export class PracticeDto extends PracticeSignalsDto {
  @ApiProperty({ type: ScoreBandsDto }) scoreBands: ScoreBandsDto;
  @ApiProperty({
    enum: ['too_safe', 'healthy', 'partial', 'look_closer'],
    nullable: true,
    description: 'Of the aspirational average: ≥0.85 too safe, 0.6–0.85 healthy, 0.4–0.6 partial, below look closer',
  })
  aspirationalReading: AspirationalReading | null;
}

export class PilotComparisonDto {
  @ApiProperty({ format: 'uuid' }) pilotId: string;
  @ApiProperty() pilotName: string;
  @ApiProperty({ format: 'uuid', type: String, nullable: true }) quarterId: string | null;
  @ApiProperty({ type: String, nullable: true }) quarterLabel: string | null;
  @ApiProperty() participants: number;
  @ApiProperty({ type: Number, nullable: true }) responseRate: number | null;
  @ApiProperty({ type: Number, nullable: true }) checkInRhythm: number | null;
  @ApiProperty({ type: Number, nullable: true }) nps: number | null;
  @ApiProperty({ type: Number, nullable: true }) committedMet: number | null;
  @ApiProperty({ type: Number, nullable: true }) aspirationalAverage: number | null;
  @ApiProperty({ description: 'The pilot this report is about' }) self: boolean;
}

export class DialogueObjectiveDto {
  @ApiProperty({ format: 'uuid' }) objectiveId: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Entries on the objective or one of its key results' }) entries: number;
  @ApiProperty({ description: 'Of those, the comments' }) comments: number;
}

export class DialogueGroupDto {
  @ApiProperty() keyResults: number;
  @ApiProperty({ description: 'Key results with a final score' }) scored: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean final score, two decimals' })
  averageScore: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Check-ins per key result, one decimal' })
  checkInsPerKeyResult: number | null;
}

export class DialogueComparisonDto {
  @ApiProperty({ description: "The report's k: each group needs at least k key results to be shown" }) k: number;
  @ApiProperty({ description: 'True when a group holds fewer than k key results: no figures then' })
  withheld: boolean;
  @ApiPropertyOptional({ type: DialogueGroupDto, description: 'Key results with an entry on them or their objective' })
  discussed?: DialogueGroupDto;
  @ApiPropertyOptional({ type: DialogueGroupDto }) notDiscussed?: DialogueGroupDto;
  @ApiPropertyOptional() reason?: string;
}

export class DialogueSummaryDto {
  @ApiProperty({ description: "The pilot's participants" }) participants: number;
  @ApiProperty({ description: 'Participants who wrote at least one entry' }) tookPart: number;
  @ApiProperty() entries: number;
  @ApiProperty() comments: number;
  @ApiProperty() rewordings: number;
  @ApiProperty({ description: 'Offers to own a draft' }) offers: number;
  @ApiProperty({ type: [DialogueObjectiveDto] }) objectives: DialogueObjectiveDto[];
  @ApiProperty({ description: 'Key results an accepted rewording changed' }) keyResultsChanged: number;
  @ApiProperty({ description: 'People made owners by an accepted offer' }) ownersVolunteered: number;
  @ApiProperty({ type: DialogueComparisonDto }) comparison: DialogueComparisonDto;
}

export class TermDto {
  @ApiProperty() term: string;
  @ApiProperty({ description: 'Answers using it' }) count: number;
}

export class PhraseDto {
  @ApiProperty() phrase: string;
  @ApiProperty({ description: 'Answers using it' }) count: number;
}

export class ThemeDto {
  @ApiProperty({ enum: LOCALES }) locale: Locale;
  @ApiProperty({ description: "Answers in this language with text to the question; 0 when suppressed" })
  responses: number;
  @ApiProperty({
    type: [TermDto],
    description: "At most 10 words, grouped by stem in the answers' language and shown as most answers wrote them",
  })
  terms: TermDto[];
  @ApiProperty({ type: [PhraseDto], description: 'At most 10 two-word phrases, each used in at least 2 answers' })
  phrases: PhraseDto[];
  @ApiProperty({ type: [String], description: 'At most 3, each at most 280 characters' }) quotes: string[];
  @ApiProperty({ description: 'Fewer than k answers: no terms, no quotes, no count' }) suppressed: boolean;
}

export class QuestionThemesDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The free-text question; null for all free-text questions pooled, in a report built before version 2',
  })
  key: string | null;
  @ApiProperty({ type: LocalizedTextDto, nullable: true }) text: LocalizedTextDto | null;
  @ApiProperty({ description: 'Answers with text to the question; 0 when suppressed' }) responses: number;
  @ApiProperty({
    type: [ThemeDto],
    description: "Each locale (a sponsor's view: only those shown); a language with fewer than k answers is suppressed",
  })
  languages: ThemeDto[];
  @ApiProperty({ description: 'Fewer than k answers, or no language shown: nothing of its free text' })
  suppressed: boolean;
}

export class FlagDto {
  @ApiProperty({ enum: LEARNING_FLAGS }) code: LearningFlagCode;
  @ApiProperty() message: string;
  @ApiProperty({ ...NUMBERS_SCHEMA, description: 'The numbers the flag was raised on' })
  numbers: Record<string, number | string | null>;
}

export class NamedRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class RolloutRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() goal: string;
}

export class PilotRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() waveNumber: number;
  @ApiProperty({ enum: LEVELS, isArray: true }) levels: Level[];
}

export class QuarterRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2027-Q2' }) label: string;
  @ApiProperty() number: number;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty({ format: 'date' }) endsOn: string;
}

export class RetrospectiveRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ANONYMITY_MODES }) anonymity: AnonymityMode;
  @ApiProperty({ description: 'k: no breakdown for a group with fewer responses' }) minGroupSize: number;
  @ApiProperty() state: string;
}

export class LearningReportContentDto {
  @ApiProperty({ enum: [2], description: '2 since themes are per question; older reports are served as 2' })
  version: 2;
  @ApiProperty({ format: 'date-time' }) builtAt: string;
  @ApiProperty({ type: NamedRefDto }) organization: NamedRefDto;
  @ApiProperty({ type: RolloutRefDto }) rollout: RolloutRefDto;
  @ApiProperty({ type: PilotRefDto }) pilot: PilotRefDto;
  @ApiProperty({ type: QuarterRefDto }) quarter: QuarterRefDto;
  @ApiProperty({ type: RetrospectiveRefDto, nullable: true }) retrospective: RetrospectiveRefDto | null;
  @ApiProperty({ type: ResponseDto }) response: ResponseDto;
  @ApiProperty({ type: [QuestionSummaryDto] }) questions: QuestionSummaryDto[];
  @ApiProperty({ type: NpsDto, nullable: true }) nps: NpsDto | null;
  @ApiProperty({ type: [AdkarDto] }) adkar: AdkarDto[];
  @ApiProperty({ type: PracticeDto }) practice: PracticeDto;
  @ApiProperty({ type: [PilotComparisonDto] }) comparison: PilotComparisonDto[];
  @ApiProperty({
    type: [QuestionThemesDto],
    description: "Per free-text question, per language; a sponsor's view holds only what is shown (at least k answers)",
  })
  themes: QuestionThemesDto[];
  @ApiProperty({ type: [FlagDto] }) flags: FlagDto[];
  @ApiPropertyOptional({
    type: DialogueSummaryDto,
    nullable: true,
    description:
      "What the planning dialogue on the quarter's drafts did; null when the quarter was not planned in dialogue, absent in reports built before it",
  })
  dialogue?: DialogueSummaryDto | null;
}

export class LearningNoteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) pilotId: string;
  @ApiProperty({ format: 'uuid' }) quarterId: string;
  @ApiProperty() body: string;
  @ApiProperty({ description: "A lesson for the next wave: shown in the next wave's kickoff mail" })
  forNextWave: boolean;
  @ApiProperty({ type: NamedRefDto, nullable: true }) author: NamedRefDto | null;
  @ApiProperty() createdAt: Date;
}

export class RolloutLearningNoteDto extends LearningNoteDto {
  @ApiProperty() pilotName: string;
  @ApiProperty() waveNumber: number;
  @ApiProperty({ example: '2027-Q1' }) quarterLabel: string;
}

export class LearningReportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) quarterId: string;
  @ApiProperty({ format: 'uuid' }) pilotId: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status: ReportStatus;
  @ApiProperty({ description: 'Bumped by each request' }) generation: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'questions',
    description: 'What the build is working on: response, questions, practice, comparison, themes',
  })
  stage: string | null;
  @ApiProperty() requestedAt: Date;
  @ApiProperty({ type: Date, nullable: true }) builtAt: Date | null;
  @ApiProperty({ type: String, nullable: true, description: "The last build's error (not shown to sponsors)" })
  lastError: string | null;
  @ApiProperty({
    type: LearningReportContentDto,
    nullable: true,
    description: 'The stored report once ready; for a sponsor, the sponsor view',
  })
  content: LearningReportContentDto | null;
  @ApiProperty({ type: [LearningNoteDto], description: '"What we learned", newest first' })
  notes: LearningNoteDto[];
}

export class ReportStatusDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status: ReportStatus;
  @ApiProperty() generation: number;
  @ApiProperty() progress: number;
  @ApiProperty({ type: String, nullable: true }) stage: string | null;
  @ApiProperty() requestedAt: Date;
  @ApiProperty({ type: Date, nullable: true }) builtAt: Date | null;
}

export class QuarterLearningReportDto {
  @ApiProperty({ format: 'uuid' }) quarterId: string;
  @ApiProperty({ example: '2027-Q1' }) quarterLabel: string;
  @ApiProperty() quarterNumber: number;
  @ApiProperty({ enum: QUARTER_STATES }) quarterState: QuarterState;
  @ApiProperty({ type: ReportStatusDto, nullable: true, description: 'Null until one is requested' })
  report: ReportStatusDto | null;
}

export class CreateLearningNoteDto {
  // Blank bodies are refused by the domain, after the quarter is found (so another workspace gets 404).
  @ApiProperty({ maxLength: MAX_NOTE_LENGTH, example: 'Weekly check-ins worked once they took ten minutes.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTE_LENGTH)
  body?: string;

  @ApiPropertyOptional({ default: false, description: 'A lesson for the next wave (its kickoff mail shows it)' })
  @IsOptional()
  @IsBoolean()
  forNextWave?: boolean;
}

export class MarkLearningNoteDto {
  @ApiProperty({ description: "A lesson for the next wave: the next wave's pilots show it in their kickoff mail" })
  @IsBoolean()
  forNextWave: boolean;
}
