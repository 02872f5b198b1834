import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CadenceService, QuestionSetService } from '@luotsi/domain';
import { TEMPLATE_NAMES } from '@luotsi/mail';
import { Authenticated } from '../common/auth';
import { Id } from '../common/params';
import { CadencePlanDto, UpdateCadenceDto } from './cadence.dto';

@ApiTags('cadence')
@Authenticated()
@Controller('rollouts/:id/cadence')
export class CadenceController {
  constructor(
    private readonly cadence: CadenceService,
    private readonly questionSets: QuestionSetService,
  ) {}

  @Get()
  @ApiOkResponse({ type: CadencePlanDto })
  get(@Param('id', Id('rollout')) id: string) {
    return this.cadence.get(id);
  }

  @Put()
  @ApiOkResponse({ type: CadencePlanDto })
  async update(@Param('id', Id('rollout')) id: string, @Body() body: UpdateCadenceDto) {
    const questionSets = (await this.questionSets.list()).map((set) => set.id);
    return this.cadence.update(id, body, { templates: TEMPLATE_NAMES, questionSets });
  }

  @Delete()
  @ApiOkResponse({ type: CadencePlanDto, description: 'Back to the default plan' })
  reset(@Param('id', Id('rollout')) id: string) {
    return this.cadence.reset(id);
  }
}
