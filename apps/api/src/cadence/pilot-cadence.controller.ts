import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CadenceService, QuestionSetService, StepPreviewService } from '@luotsi/domain';
import { TEMPLATE_NAMES } from '@luotsi/mail';
import { Authenticated, Roles } from '../common/auth';
import { Id } from '../common/params';
import { PilotCadencePlanDto, StepPreviewDto, UpdatePilotCadenceDto } from './cadence.dto';

class PreviewQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "The pilot's quarter; its current one when left out" })
  @IsOptional()
  @IsUUID()
  quarterId?: string;
}

/** A pilot's cadence: its rollout's plan until the coach gives it one of its own; a step's preview. */
@ApiTags('cadence')
@Authenticated()
@Controller('pilots/:id/cadence')
export class PilotCadenceController {
  constructor(
    private readonly cadence: CadenceService,
    private readonly previews: StepPreviewService,
    private readonly questionSets: QuestionSetService,
  ) {}

  @Get()
  @ApiOkResponse({ type: PilotCadencePlanDto })
  get(@Param('id', Id('pilot')) id: string) {
    return this.cadence.pilotPlan(id);
  }

  @Put()
  @ApiOkResponse({ type: PilotCadencePlanDto, description: "The pilot's own plan from now on" })
  async update(@Param('id', Id('pilot')) id: string, @Body() body: UpdatePilotCadenceDto) {
    const questionSets = (await this.questionSets.list()).map((set) => set.id);
    return this.cadence.updatePilot(id, body, { templates: TEMPLATE_NAMES, questionSets });
  }

  @Delete()
  @ApiOkResponse({ type: PilotCadencePlanDto, description: "Back to the rollout's plan" })
  reset(@Param('id', Id('pilot')) id: string) {
    return this.cadence.resetPilot(id);
  }

  @Get('steps/:key/preview/:participantId')
  @Roles('owner', 'coach')
  @ApiOkResponse({
    type: StepPreviewDto,
    description:
      "The step's mail as the participant would receive it (their language, the text that applies); links are samples",
  })
  preview(
    @Param('id', Id('pilot')) id: string,
    @Param('key') key: string,
    @Param('participantId', Id('participant')) participantId: string,
    @Query() query: PreviewQuery,
  ) {
    return this.previews.preview(id, key, participantId, query.quarterId);
  }
}
