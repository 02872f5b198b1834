import { Body, Controller, Headers, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { KeyResultService, ObjectiveService, OkrImportService, OkrScoringService } from '@luotsi/domain';
import { Authenticated } from '../common/auth';
import { ApiCsvImport, CsvFile } from '../common/csv-upload';
import { ApiPage, ProblemDto } from '../common/openapi';
import { Id, PageQuery } from '../common/params';
import {
  CreateKeyResultDto,
  CreateObjectiveDto,
  KeyResultResultDto,
  ObjectiveDto,
  OkrImportSummaryDto,
  ScoreDto,
  UpdateKeyResultDto,
  UpdateObjectiveDto,
} from './okr.dto';

/** A quarter's OKRs. Owners and coaches write; sponsors read their organizations' OKRs. */
@ApiTags('okrs')
@Authenticated()
@Controller()
export class OkrController {
  constructor(
    private readonly objectives: ObjectiveService,
    private readonly keyResults: KeyResultService,
    private readonly scoring: OkrScoringService,
    private readonly okrImport: OkrImportService,
  ) {}

  @Get('quarters/:id/objectives')
  @ApiPage(ObjectiveDto)
  list(@Param('id', Id('quarter')) quarterId: string, @Query() page: PageQuery) {
    return this.objectives.listForQuarter(quarterId, page);
  }

  @Post('quarters/:id/objectives')
  @ApiCreatedResponse({ type: ObjectiveDto, description: 'With progress, band and quality hints' })
  @ApiConflictResponse({ type: ProblemDto, description: 'The quarter is closed' })
  create(@Param('id', Id('quarter')) quarterId: string, @Body() body: CreateObjectiveDto) {
    return this.objectives.create(quarterId, body);
  }

  @Post('quarters/:id/objectives/import')
  @ApiCsvImport(
    {
      description:
        'UTF-8 CSV with a header row: objective, key_result, kind, measure, start, target, unit, owner_email. ' +
        'Objectives match by title, key results by objective and title, so the same file twice changes nothing.',
      example:
        'objective,key_result,kind,measure,start,target,unit,owner_email\n' +
        'Customers notice faster answers,Median answer time from 12 to 4 days,committed,metric,12,4,days,aino@example.fi\n',
    },
    OkrImportSummaryDto,
  )
  @ApiConflictResponse({ type: ProblemDto, description: 'The quarter is closed' })
  import(
    @Param('id', Id('quarter')) quarterId: string,
    @Body(CsvFile) file: Buffer,
    @Headers('content-type') contentType?: string,
  ) {
    return this.okrImport.importCsv(quarterId, file, { contentType });
  }

  @Get('objectives/:id')
  @ApiOkResponse({ type: ObjectiveDto })
  get(@Param('id', Id('objective')) id: string) {
    return this.objectives.get(id);
  }

  @Patch('objectives/:id')
  @ApiOkResponse({ type: ObjectiveDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'The quarter is closed' })
  update(@Param('id', Id('objective')) id: string, @Body() body: UpdateObjectiveDto) {
    return this.objectives.update(id, body);
  }

  @Delete('objectives/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deletes the objective and its key results' })
  @ApiConflictResponse({ type: ProblemDto, description: 'The quarter is closed' })
  remove(@Param('id', Id('objective')) id: string) {
    return this.objectives.remove(id);
  }

  @Post('objectives/:id/key-results')
  @ApiCreatedResponse({ type: KeyResultResultDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'The quarter is closed' })
  addKeyResult(@Param('id', Id('objective')) objectiveId: string, @Body() body: CreateKeyResultDto) {
    return this.keyResults.add(objectiveId, body);
  }

  @Get('key-results/:id')
  @ApiOkResponse({ type: KeyResultResultDto })
  getKeyResult(@Param('id', Id('key result')) id: string) {
    return this.keyResults.get(id);
  }

  @Patch('key-results/:id')
  @ApiOkResponse({
    type: KeyResultResultDto,
    description: 'Also records the current value, the done flag and the confidence',
  })
  @ApiConflictResponse({ type: ProblemDto, description: 'The quarter is closed' })
  updateKeyResult(@Param('id', Id('key result')) id: string, @Body() body: UpdateKeyResultDto) {
    return this.keyResults.update(id, body);
  }

  @Delete('key-results/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ProblemDto, description: 'The quarter is closed' })
  removeKeyResult(@Param('id', Id('key result')) id: string) {
    return this.keyResults.remove(id);
  }

  @Post('key-results/:id/score')
  @HttpCode(200)
  @ApiOkResponse({
    type: KeyResultResultDto,
    description: "Records the final score; the objective's score is recomputed",
  })
  @ApiConflictResponse({ type: ProblemDto, description: 'The quarter has not started' })
  score(@Param('id', Id('key result')) id: string, @Body() body: ScoreDto) {
    return this.scoring.scoreKeyResult(id, body.score);
  }
}
