import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { InvalidInputError, ParticipantService } from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { ApiPage, ProblemDto } from '../common/openapi';
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
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'UTF-8 CSV with a header row: email, name, locale, level, time_zone (locale, level and time_zone may be blank)',
    schema: {
      type: 'string',
      example: 'email,name,locale,level,time_zone\naino@example.fi,Aino Virtanen,fi,staff,Europe/Helsinki\n',
    },
  })
  @ApiOkResponse({ type: ImportSummaryDto })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description: 'Every bad line with its number; nothing imported',
  })
  import(@Param('id', Id('pilot')) pilotId: string, @Req() request: Request) {
    if (!Buffer.isBuffer(request.body)) {
      throw new InvalidInputError('Send the file as the request body with Content-Type: text/csv.', [
        { field: 'file', reason: 'missing, or not sent as text/csv' },
      ]);
    }
    return this.participants.importCsv(pilotId, request.body);
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

  @Delete('participants/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Erases the person and every membership' })
  erase(@Param('id', Id('participant')) id: string) {
    return this.participants.erase(id);
  }
}
