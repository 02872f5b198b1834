import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CarryOverService, PracticeSignalsService } from '@luotsi/domain';
import { Authenticated } from '../common/auth';
import { ProblemDto } from '../common/openapi';
import { Id } from '../common/params';
import { CarryOverDto, CarryOverResultDto, PracticeSignalsDto } from './practice.dto';

/** What a quarter's OKR practice shows, and carrying its objectives into the next quarter. */
@ApiTags('okrs')
@Authenticated()
@Controller()
export class PracticeController {
  constructor(
    private readonly signals: PracticeSignalsService,
    private readonly carry: CarryOverService,
  ) {}

  @Get('quarters/:id/practice-signals')
  @ApiOkResponse({
    type: PracticeSignalsDto,
    description:
      'Check-in rhythm, confidence trajectories and drops, no movement, committed met, aspirational scores',
  })
  practiceSignals(@Param('id', Id('quarter')) quarterId: string) {
    return this.signals.forQuarter(quarterId);
  }

  @Post('quarters/:id/carry-over')
  @HttpCode(200)
  @ApiOkResponse({
    type: CarryOverResultDto,
    description: 'A second run with the same decisions changes nothing',
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description: 'An objective without a decision, or with two; nothing carried',
  })
  @ApiConflictResponse({ type: ProblemDto, description: 'No next quarter, or it is closed' })
  carryOver(@Param('id', Id('quarter')) quarterId: string, @Body() body: CarryOverDto) {
    return this.carry.carryOver(quarterId, body.decisions);
  }
}
