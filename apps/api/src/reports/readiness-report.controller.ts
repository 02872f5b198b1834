import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { NextWaveService, ReadinessReportService, RolloutDecisionService } from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { ApiPage, ProblemDto } from '../common/openapi';
import { Id, PageQuery } from '../common/params';
import {
  DecisionDto,
  NextWaveDtoResult,
  NextWaveRequestDto,
  ReadinessReportDto,
  RolloutDecisionDto,
  THRESHOLDS_SCHEMA,
  ThresholdsDto,
} from './readiness-report.dto';

/** A rollout's readiness report for its sponsors, its gates' thresholds, and the sponsors' decisions. */
@ApiTags('readiness')
@Authenticated()
@Controller()
export class ReadinessReportController {
  constructor(
    private readonly reports: ReadinessReportService,
    private readonly decisions: RolloutDecisionService,
    private readonly nextWaves: NextWaveService,
  ) {}

  @Get('rollouts/:id/readiness-thresholds')
  @ApiOkResponse({ type: ThresholdsDto })
  thresholds(@Param('id', Id('rollout')) rolloutId: string) {
    return this.reports.thresholds(rolloutId);
  }

  @Put('rollouts/:id/readiness-thresholds')
  @Roles('owner', 'coach')
  @ApiBody({ schema: THRESHOLDS_SCHEMA, description: "The rollout's overrides; a key left out takes its default" })
  @ApiOkResponse({ type: ThresholdsDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'An unknown key or a value out of range' })
  setThresholds(@Param('id', Id('rollout')) rolloutId: string, @Body() body: Record<string, unknown>) {
    // Validated by the domain against the thresholds' table, so an unknown key is named as such.
    return this.reports.setThresholds(rolloutId, body);
  }

  @Post('rollouts/:id/readiness-report')
  @Roles('owner', 'coach')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ReadinessReportDto, description: 'Queued; the worker builds it' })
  request(@Param('id', Id('rollout')) rolloutId: string) {
    return this.reports.request(rolloutId);
  }

  @Get('rollouts/:id/readiness-report')
  @ApiOkResponse({ type: ReadinessReportDto, description: 'The latest build: progress while building' })
  latest(@Param('id', Id('rollout')) rolloutId: string) {
    return this.reports.latest(rolloutId);
  }

  @Get('readiness-reports/:id')
  @ApiOkResponse({ type: ReadinessReportDto })
  get(@Param('id', Id('readiness report')) id: string) {
    return this.reports.get(id);
  }

  @Post('readiness-reports/:id/decision')
  @Roles('owner', 'sponsor')
  @ApiCreatedResponse({ type: RolloutDecisionDto, description: 'Recorded, and in the audit log' })
  @ApiConflictResponse({ type: ProblemDto, description: 'The report is not ready' })
  decide(@Param('id', Id('readiness report')) id: string, @Body() body: DecisionDto) {
    return this.decisions.decide(id, body);
  }

  @Post('readiness-reports/:id/next-wave')
  @Roles('owner', 'coach')
  @ApiCreatedResponse({
    type: NextWaveDtoResult,
    description: "The proposed pilot(s), created in the rollout as the next wave and linked to the go decision",
  })
  @ApiOkResponse({ type: NextWaveDtoResult, description: 'The wave existed already: the pilots created then' })
  @ApiConflictResponse({
    type: ProblemDto,
    description: 'No go decision on the report (none, or extend, adjust, stop), no proposal, or the rollout is closed',
  })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'A pilot of the body is invalid' })
  async nextWave(
    @Param('id', Id('readiness report')) id: string,
    @Body() body: NextWaveRequestDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const wave = await this.nextWaves.create(id, body);
    response.status(wave.created ? 201 : 200);
    return wave;
  }

  @Get('rollouts/:id/decisions')
  @ApiPage(RolloutDecisionDto)
  listDecisions(@Param('id', Id('rollout')) rolloutId: string, @Query() page: PageQuery) {
    return this.decisions.list(rolloutId, page);
  }
}
