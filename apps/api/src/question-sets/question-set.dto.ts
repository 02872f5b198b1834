import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import {
  ADKAR_ELEMENTS,
  BUILTIN_QUESTION_SET_REF,
  MAX_OPTION_TEXT,
  MAX_OPTIONS,
  MAX_QUESTION_TEXT,
  MAX_QUESTIONS,
  MIN_OPTIONS,
  QUESTION_SECTIONS,
  QUESTION_TYPES,
  type AdkarElement,
  type QuestionSection,
  type QuestionType,
} from '@luotsi/domain';

const KEY_PATTERN = '^[a-z][a-z0-9_]{0,39}$';

// The question objects are checked by the domain (`validateQuestions`), which reports every problem with
// its path; these classes only describe them in the OpenAPI document.

export class LocalizedTextDto {
  @ApiProperty({
    maxLength: MAX_QUESTION_TEXT,
    example: 'Viikkokatsaukset olivat niihin käytetyn ajan arvoisia.',
  })
  fi: string;
  @ApiProperty({ maxLength: MAX_QUESTION_TEXT, example: 'De veckovisa avstämningarna var värda tiden.' })
  sv: string;
  @ApiProperty({ maxLength: MAX_QUESTION_TEXT, example: 'Weekly check-ins were worth the time.' })
  en: string;
}

export class QuestionOptionDto {
  @ApiProperty({ pattern: KEY_PATTERN, example: 'weekly', description: 'Unique within the question' })
  key: string;
  @ApiProperty({ type: LocalizedTextDto, description: `Every locale, at most ${MAX_OPTION_TEXT} characters` })
  text: LocalizedTextDto;
}

export class QuestionDto {
  @ApiProperty({ pattern: KEY_PATTERN, example: 'checkins_worth_time', description: 'Unique within the set' })
  key: string;
  @ApiProperty({
    enum: QUESTION_TYPES,
    description:
      'likert5: 1–5 agreement; scale10 and nps: 0–10; single_choice: one of `options`; ' +
      'free_text: up to 2000 characters',
  })
  type: QuestionType;
  @ApiProperty({ enum: QUESTION_SECTIONS }) section: QuestionSection;
  @ApiProperty({ type: LocalizedTextDto, description: 'Every locale non-empty' }) text: LocalizedTextDto;
  @ApiProperty() required: boolean;
  @ApiPropertyOptional({
    type: [QuestionOptionDto],
    minItems: MIN_OPTIONS,
    maxItems: MAX_OPTIONS,
    description: 'single_choice questions only, and required there',
  })
  options?: QuestionOptionDto[];
  @ApiPropertyOptional({
    enum: ADKAR_ELEMENTS,
    description: 'Required in the adkar section, and only there; adkar questions are likert5',
  })
  adkar?: AdkarElement;
}

export class QuestionSetDto {
  @ApiProperty({
    example: BUILTIN_QUESTION_SET_REF,
    description: `\`${BUILTIN_QUESTION_SET_REF}\` or a uuid`,
  })
  id: string;
  @ApiProperty({ description: 'The built-in set is read-only; copy it to change it' }) builtIn: boolean;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: String, nullable: true, description: 'The set this one was copied from' })
  basedOn: string | null;
  @ApiProperty({ type: [QuestionDto] }) questions: QuestionDto[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) createdAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt: Date | null;
}

export class CreateQuestionSetDto {
  @ApiProperty({ example: 'End of quarter, board' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ default: '' }) @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({
    type: [QuestionDto],
    maxItems: MAX_QUESTIONS,
    description: `1–${MAX_QUESTIONS} questions; required unless \`copyOf\` is given`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_QUESTIONS)
  questions?: QuestionDto[];
  @ApiPropertyOptional({
    example: BUILTIN_QUESTION_SET_REF,
    description: 'Copy the questions of this set (the built-in ref or a set id)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  copyOf?: string;
}

export class UpdateQuestionSetDto extends PartialType(
  PickType(CreateQuestionSetDto, ['name', 'description', 'questions'] as const),
) {}
