import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsUUID } from 'class-validator';
import { LEVELS, LOCALES, type Level, type Locale } from '@luotsi/database';

/** One answer of a named run with who gave it: the coach's only, never a sponsor's or a share link's. */
export class NamedResponseDto {
  @ApiProperty({ format: 'uuid', nullable: true, description: 'Null once the person was erased' })
  participantId: string | null;
  @ApiProperty({ nullable: true, description: 'Null once the person was erased' }) name: string | null;
  @ApiProperty({ enum: LEVELS, description: 'The level the answer counts in' }) level: Level;
  @ApiProperty({ enum: LOCALES }) locale: Locale;
  @ApiProperty({ format: 'date', description: 'The day of the answer, never the time' }) submittedOn: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'By question key: numbers, option keys and free text as given',
  })
  answers: Record<string, unknown>;
}

/** Someone invited to a confidential or named run who has not answered. */
export class NonResponderDto {
  @ApiProperty({ format: 'uuid' }) participantId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: LEVELS, description: 'As frozen when the run opened: where their answer will count' })
  level: Level;
  @ApiProperty({ description: 'Unsubscribed from mail: no reminder reaches them' }) unsubscribed: boolean;
}

export class RemindDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 200,
    description:
      'Only these people (confidential and named runs), each an invited non-responder of the run; ' +
      'left out, everyone who has not answered is reminded',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  participantIds?: string[];
}
