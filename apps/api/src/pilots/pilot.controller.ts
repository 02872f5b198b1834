import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { PilotService } from '@luotsi/domain';
import { Authenticated } from '../common/auth';
import { ApiPage, ProblemDto } from '../common/openapi';
import { Id, PageQuery } from '../common/params';
import { CreatePilotDto, ExtendPilotDto, PilotDto, QuarterDto, UpdatePilotDto } from './pilot.dto';

@ApiTags('pilots')
@Authenticated()
@Controller()
export class PilotController {
  constructor(private readonly pilots: PilotService) {}

  @Get('rollouts/:id/pilots')
  @ApiPage(PilotDto)
  list(@Param('id', Id('rollout')) rolloutId: string, @Query() page: PageQuery) {
    return this.pilots.list(rolloutId, page);
  }

  @Post('rollouts/:id/pilots')
  @ApiCreatedResponse({ type: PilotDto })
  create(@Param('id', Id('rollout')) rolloutId: string, @Body() body: CreatePilotDto) {
    return this.pilots.create(rolloutId, body);
  }

  @Get('pilots/:id')
  @ApiOkResponse({ type: PilotDto })
  get(@Param('id', Id('pilot')) id: string) {
    return this.pilots.get(id);
  }

  @Patch('pilots/:id')
  @ApiOkResponse({ type: PilotDto })
  update(@Param('id', Id('pilot')) id: string, @Body() body: UpdatePilotDto) {
    return this.pilots.update(id, body);
  }

  @Delete('pilots/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('id', Id('pilot')) id: string) {
    return this.pilots.remove(id);
  }

  @Post('pilots/:id/start')
  @HttpCode(200)
  @ApiOkResponse({ type: PilotDto, description: 'planned → running; activates the first quarter' })
  @ApiConflictResponse({ type: ProblemDto })
  start(@Param('id', Id('pilot')) id: string) {
    return this.pilots.act(id, 'start');
  }

  @Post('pilots/:id/advance')
  @HttpCode(200)
  @ApiOkResponse({ type: PilotDto, description: 'Closes the active quarter and activates the next' })
  @ApiConflictResponse({ type: ProblemDto })
  advance(@Param('id', Id('pilot')) id: string) {
    return this.pilots.act(id, 'advance');
  }

  @Post('pilots/:id/review')
  @HttpCode(200)
  @ApiOkResponse({ type: PilotDto, description: 'running → in_review; closes the active quarter' })
  @ApiConflictResponse({ type: ProblemDto })
  review(@Param('id', Id('pilot')) id: string) {
    return this.pilots.act(id, 'review');
  }

  @Post('pilots/:id/graduate')
  @HttpCode(200)
  @ApiOkResponse({ type: PilotDto, description: 'in_review → graduated' })
  @ApiConflictResponse({ type: ProblemDto })
  graduate(@Param('id', Id('pilot')) id: string) {
    return this.pilots.act(id, 'graduate');
  }

  @Post('pilots/:id/extend')
  @HttpCode(200)
  @ApiOkResponse({ type: PilotDto, description: 'in_review → extended; adds quarters' })
  @ApiConflictResponse({ type: ProblemDto })
  extend(@Param('id', Id('pilot')) id: string, @Body() body: ExtendPilotDto) {
    return this.pilots.act(id, 'extend', { quarters: body.quarters });
  }

  @Post('pilots/:id/stop')
  @HttpCode(200)
  @ApiOkResponse({ type: PilotDto, description: 'Ends the pilot; closes the active quarter' })
  @ApiConflictResponse({ type: ProblemDto })
  stop(@Param('id', Id('pilot')) id: string) {
    return this.pilots.act(id, 'stop');
  }

  @Get('pilots/:id/quarters')
  @ApiOkResponse({ type: [QuarterDto] })
  quarters(@Param('id', Id('pilot')) id: string) {
    return this.pilots.listQuarters(id);
  }

  @Get('quarters/:id')
  @ApiOkResponse({ type: QuarterDto })
  quarter(@Param('id', Id('quarter')) id: string) {
    return this.pilots.getQuarter(id);
  }
}
