import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  IntersectionType,
} from '@nestjs/swagger';
import { RolloutService } from '@luotsi/domain';
import { Authenticated } from '../common/auth';
import { ApiPage } from '../common/openapi';
import { Id, PageQuery } from '../common/params';
import { CreateRolloutDto, RolloutDto, RolloutFilter, UpdateRolloutDto } from './rollout.dto';

class RolloutListQuery extends IntersectionType(PageQuery, RolloutFilter) {}

@ApiTags('rollouts')
@Authenticated()
@Controller('rollouts')
export class RolloutController {
  constructor(private readonly rollouts: RolloutService) {}

  @Get()
  @ApiPage(RolloutDto)
  list(@Query() query: RolloutListQuery) {
    return this.rollouts.list(query, { organizationId: query.organizationId });
  }

  @Post()
  @ApiCreatedResponse({ type: RolloutDto })
  create(@Body() body: CreateRolloutDto) {
    return this.rollouts.create(body);
  }

  @Get(':id')
  @ApiOkResponse({ type: RolloutDto })
  get(@Param('id', Id('rollout')) id: string) {
    return this.rollouts.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: RolloutDto })
  update(@Param('id', Id('rollout')) id: string, @Body() body: UpdateRolloutDto) {
    return this.rollouts.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('id', Id('rollout')) id: string) {
    return this.rollouts.remove(id);
  }
}
