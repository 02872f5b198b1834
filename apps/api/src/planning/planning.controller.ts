import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PlanningService } from '@luotsi/domain';
import { Authenticated } from '../common/auth';
import { ProblemDto } from '../common/openapi';
import { Id } from '../common/params';
import { PlanningDto, PlanningEntryDto } from './planning.dto';

/**
 * The planning dialogue as the coach closes it: a quarter's drafts with what the participants said, and
 * the coach's decisions on each entry. The drafts themselves are the quarter's objectives and key
 * results (`/quarters/{id}/objectives`, `/objectives/{id}`, `/key-results/{id}`).
 */
@ApiTags('planning')
@Authenticated()
@Controller()
export class PlanningController {
  constructor(private readonly planning: PlanningService) {}

  @Get('quarters/:id/planning')
  @ApiOkResponse({
    type: PlanningDto,
    description:
      "The quarter's drafts (its objectives and key results) with every comment, proposed rewording and offer to own, " +
      'the quality hints and the wordings before accepted rewordings. Open while the quarter has not started.',
  })
  get(@Param('id', Id('quarter')) quarterId: string) {
    return this.planning.forQuarter(quarterId);
  }

  @Post('planning-entries/:id/accept')
  @HttpCode(200)
  @ApiOkResponse({
    type: PlanningEntryDto,
    description:
      "A rewording becomes the draft's title (the previous wording is kept in `previousTitles`); an offer to own makes " +
      'its author the owner of the key result or objective. The entry is then `accepted`.',
  })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'A comment is resolved, not accepted' })
  @ApiConflictResponse({
    type: ProblemDto,
    description:
      'The quarter has started (its OKRs are locked), or the entry is resolved or accepted already',
  })
  accept(@Param('id', Id('planning entry')) id: string) {
    return this.planning.accept(id);
  }

  @Post('planning-entries/:id/resolve')
  @HttpCode(200)
  @ApiOkResponse({ type: PlanningEntryDto, description: 'The entry is read and settled: `resolved`' })
  @ApiConflictResponse({ type: ProblemDto, description: 'The entry is resolved or accepted already' })
  resolve(@Param('id', Id('planning entry')) id: string) {
    return this.planning.resolve(id);
  }
}
