import { Body, Controller, Delete, Headers, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ParticipantService } from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { ApiCsvImport, CsvFile } from '../common/csv-upload';
import { ApiPage } from '../common/openapi';
import { Id, PageQuery } from '../common/params';
import {
  AddParticipantDto,
  ImportSummaryDto,
  ParticipantDto,
  ParticipantSearch,
  UpdateParticipantDto,
} from './participant.dto';

/** Participants are personal data: owners and coaches only, never sponsors. */
@ApiTags('participants')
@Authenticated()
@Roles('owner', 'coach')
@Controller()
export class ParticipantController {
  constructor(private readonly participants: ParticipantService) {}

  @Get('pilots/:id/participants')
  @ApiPage(ParticipantDto)
  listForPilot(@Param('id', Id('pilot')) pilotId: string, @Query() page: PageQuery) {
    return this.participants.listForPilot(pilotId, page);
  }

  @Post('pilots/:id/participants')
  @ApiCreatedResponse({ type: ParticipantDto })
  add(@Param('id', Id('pilot')) pilotId: string, @Body() body: AddParticipantDto) {
    return this.participants.addToPilot(pilotId, body);
  }

  @Post('pilots/:id/participants/import')
  @ApiCsvImport(
    {
      description:
        'UTF-8 CSV with a header row: email, name, locale, level, time_zone (locale, level and time_zone may be blank)',
      example: 'email,name,locale,level,time_zone\naino@example.fi,Aino Virtanen,fi,staff,Europe/Helsinki\n',
    },
    ImportSummaryDto,
  )
  import(
    @Param('id', Id('pilot')) pilotId: string,
    @Body(CsvFile) file: Buffer,
    @Headers('content-type') contentType?: string,
  ) {
    return this.participants.importCsv(pilotId, file, { contentType });
  }

  @Delete('pilots/:id/participants/:participantId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removes the person from the pilot (they stay in the workspace)' })
  removeFromPilot(
    @Param('id', Id('pilot')) pilotId: string,
    @Param('participantId', Id('participant')) participantId: string,
  ) {
    return this.participants.removeFromPilot(pilotId, participantId);
  }

  @Get('participants')
  @ApiPage(ParticipantDto)
  list(@Query() query: ParticipantSearch) {
    return this.participants.list(query, query.search);
  }

  @Get('participants/:id')
  @ApiOkResponse({ type: ParticipantDto })
  get(@Param('id', Id('participant')) id: string) {
    return this.participants.get(id);
  }

  @Patch('participants/:id')
  @ApiOkResponse({ type: ParticipantDto })
  update(@Param('id', Id('participant')) id: string, @Body() body: UpdateParticipantDto) {
    return this.participants.update(id, body);
  }

  @Post('participants/:id/bounce/clear')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Clears the participant's bounce mark: the next steps reach them again (mail skipped meanwhile stays unsent)",
  })
  @ApiOkResponse({ type: ParticipantDto })
  clearBounce(@Param('id', Id('participant')) id: string) {
    return this.participants.clearBounce(id);
  }

  @Delete('participants/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Erases the person and every membership' })
  erase(@Param('id', Id('participant')) id: string) {
    return this.participants.erase(id);
  }
}
