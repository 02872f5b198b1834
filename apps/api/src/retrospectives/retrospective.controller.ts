import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiPropertyOptional,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ANONYMITY_MODES, type AnonymityMode } from '@luotsi/database';
import { RetrospectivePeople, RetrospectiveService } from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { ApiPage, ProblemDto } from '../common/openapi';
import { Id, PageQuery } from '../common/params';
import { NamedResponseDto, NonResponderDto, RemindDto } from './retrospective.dto';

class OpenRetrospectiveDto {
  @ApiPropertyOptional({ description: 'A question set id or `builtin:end-of-quarter` (the default)' })
  @IsOptional()
  @IsString()
  @Matches(/^(builtin:end-of-quarter|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, {
    message: 'a question set id or builtin:end-of-quarter',
  })
  questionSetId?: string;
  @ApiPropertyOptional({ enum: ANONYMITY_MODES, default: 'anonymous' })
  @IsOptional()
  @IsIn(ANONYMITY_MODES)
  anonymity?: AnonymityMode;
  @ApiPropertyOptional({
    minimum: 3,
    maximum: 50,
    default: 5,
    description: 'No breakdown for a group with fewer responses',
  })
  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(50)
  minGroupSize?: number;
}

/**
 * Retrospective runs for the coach: open by hand, remind non-responders, close; the live response rate.
 * Who answered what (named runs) and who has not answered (confidential and named runs) are the coach's
 * only: never a sponsor's.
 */
@ApiTags('retrospectives')
@Authenticated()
@Controller()
export class RetrospectiveController {
  constructor(
    private readonly retrospectives: RetrospectiveService,
    private readonly people: RetrospectivePeople,
  ) {}

  @Get('quarters/:id/retrospectives')
  @ApiOkResponse({ description: "The quarter's runs, with invited, responded and responseRate" })
  list(@Param('id', Id('quarter')) quarterId: string) {
    return this.retrospectives.listForQuarter(quarterId);
  }

  @Post('quarters/:id/retrospectives')
  @Roles('owner', 'coach')
  @ApiCreatedResponse({ description: 'Opens the run now and sends the invitations' })
  open(@Param('id', Id('quarter')) quarterId: string, @Body() body: OpenRetrospectiveDto) {
    return this.retrospectives.open(quarterId, body);
  }

  @Get('retrospectives/:id')
  @ApiOkResponse({ description: 'The run, its questions and its live response rate' })
  get(@Param('id', Id('retrospective')) id: string) {
    return this.retrospectives.get(id);
  }

  @Get('retrospectives/:id/responses')
  @Roles('owner', 'coach')
  @ApiPage(NamedResponseDto)
  @ApiConflictResponse({
    type: ProblemDto,
    description: 'A confidential or anonymous run: its answers are never shown with names',
  })
  responses(@Param('id', Id('retrospective')) id: string, @Query() page: PageQuery) {
    return this.people.responses(id, page);
  }

  @Get('retrospectives/:id/non-responders')
  @Roles('owner', 'coach')
  @ApiPage(NonResponderDto)
  @ApiConflictResponse({ type: ProblemDto, description: 'An anonymous run: it shows counts only' })
  nonResponders(@Param('id', Id('retrospective')) id: string, @Query() page: PageQuery) {
    return this.people.nonResponders(id, page);
  }

  @Post('retrospectives/:id/remind')
  @Roles('owner', 'coach')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'Reminds those who have not answered, or only `participantIds`; `reminded` counts the mails queued',
  })
  @ApiConflictResponse({
    type: ProblemDto,
    description: 'The run is closed, or it is anonymous and `participantIds` was given',
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description: 'A person in `participantIds` is not an invited non-responder; nobody was reminded',
  })
  remind(@Param('id', Id('retrospective')) id: string, @Body() body: RemindDto) {
    return this.retrospectives.remind(id, body.participantIds);
  }

  @Post('retrospectives/:id/close')
  @Roles('owner', 'coach')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Closes the run: links stop working, unsent invitations never go' })
  close(@Param('id', Id('retrospective')) id: string) {
    return this.retrospectives.close(id);
  }
}
