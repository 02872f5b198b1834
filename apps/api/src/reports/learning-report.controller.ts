import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { LearningNoteService, LearningReportService } from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { ProblemDto } from '../common/openapi';
import { Id } from '../common/params';
import {
  CreateLearningNoteDto,
  LearningNoteDto,
  MarkLearningNoteDto,
  LearningReportDto,
  QuarterLearningReportDto,
  RolloutLearningNoteDto,
} from './learning-report.dto';

/**
 * A pilot quarter's learning report for the coach (sponsors with a grant read the sponsor view), and the
 * coach's "what we learned" notes, which the rollout offers to the next wave's pilots.
 */
@ApiTags('learning reports')
@Authenticated()
@Controller()
export class LearningReportController {
  constructor(
    private readonly reports: LearningReportService,
    private readonly notes: LearningNoteService,
  ) {}

  @Post('quarters/:id/learning-report')
  @Roles('owner', 'coach')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: LearningReportDto,
    description: 'Queued under a new generation; the worker builds it',
  })
  request(@Param('id', Id('quarter')) quarterId: string) {
    return this.reports.request(quarterId);
  }

  @Get('quarters/:id/learning-report')
  @ApiOkResponse({
    type: LearningReportDto,
    description: 'Status, progress and stage while building; the stored content once ready',
  })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such quarter, or no report requested yet' })
  get(@Param('id', Id('quarter')) quarterId: string) {
    return this.reports.get(quarterId);
  }

  @Get('pilots/:id/learning-reports')
  @ApiOkResponse({ type: [QuarterLearningReportDto], description: "Each quarter with its report's status" })
  listForPilot(@Param('id', Id('pilot')) pilotId: string) {
    return this.reports.listForPilot(pilotId);
  }

  @Post('quarters/:id/learning-notes')
  @Roles('owner', 'coach')
  @ApiCreatedResponse({ type: LearningNoteDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'A blank or too long body' })
  addNote(@Param('id', Id('quarter')) quarterId: string, @Body() body: CreateLearningNoteDto) {
    return this.notes.add(quarterId, body.body, { forNextWave: body.forNextWave });
  }

  @Patch('learning-notes/:id')
  @Roles('owner', 'coach')
  @ApiOkResponse({ type: LearningNoteDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'forNextWave is not a boolean' })
  markNote(@Param('id', Id('learning note')) id: string, @Body() body: MarkLearningNoteDto) {
    return this.notes.mark(id, body.forNextWave);
  }

  @Get('quarters/:id/learning-notes')
  @ApiOkResponse({ type: [LearningNoteDto], description: 'Newest first' })
  listNotes(@Param('id', Id('quarter')) quarterId: string) {
    return this.notes.listForQuarter(quarterId);
  }

  @Delete('learning-notes/:id')
  @Roles('owner', 'coach')
  @HttpCode(204)
  @ApiNoContentResponse()
  removeNote(@Param('id', Id('learning note')) id: string) {
    return this.notes.remove(id);
  }

  @Get('rollouts/:id/learning-notes')
  @ApiOkResponse({
    type: [RolloutLearningNoteDto],
    description: "Every note of the rollout's pilots, newest first: starting points for the next wave",
  })
  listForRollout(@Param('id', Id('rollout')) rolloutId: string) {
    return this.notes.listForRollout(rolloutId);
  }
}
