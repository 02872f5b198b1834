import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ReportSharing } from '@luotsi/domain';
import { Authenticated, Roles } from '../common/auth';
import { ProblemDto } from '../common/openapi';
import { Id } from '../common/params';
import { CreatedReportShareDto, CreateReportShareDto, ReportShareDto } from './report-share.dto';

/**
 * Share links: a report for someone without an account, until the link expires or is revoked. The
 * link itself (`/s/{token}`) is returned once, when it is made.
 */
@ApiTags('reports')
@Authenticated()
@Roles('owner', 'coach')
@Controller()
export class ReportShareController {
  constructor(private readonly sharing: ReportSharing) {}

  @Post('learning-reports/:id/shares')
  @ApiCreatedResponse({ type: CreatedReportShareDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'Audience or lifetime out of range' })
  @ApiConflictResponse({ type: ProblemDto, description: 'The report is not built (yet)' })
  shareLearning(@Param('id', Id('learning report')) id: string, @Body() body: CreateReportShareDto) {
    return this.sharing.create('learning', id, body);
  }

  @Get('learning-reports/:id/shares')
  @ApiOkResponse({ type: [ReportShareDto], description: 'Newest first; the links themselves are not kept' })
  learningShares(@Param('id', Id('learning report')) id: string) {
    return this.sharing.list('learning', id);
  }

  @Post('readiness-reports/:id/shares')
  @ApiCreatedResponse({ type: CreatedReportShareDto })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'Audience or lifetime out of range' })
  @ApiConflictResponse({ type: ProblemDto, description: 'The report is not built (yet)' })
  shareReadiness(@Param('id', Id('readiness report')) id: string, @Body() body: CreateReportShareDto) {
    return this.sharing.create('readiness', id, body);
  }

  @Get('readiness-reports/:id/shares')
  @ApiOkResponse({ type: [ReportShareDto], description: 'Newest first; the links themselves are not kept' })
  readinessShares(@Param('id', Id('readiness report')) id: string) {
    return this.sharing.list('readiness', id);
  }

  @Delete('report-shares/:id')
  @ApiOkResponse({ type: ReportShareDto, description: 'Revoked at once; revoking again changes nothing' })
  @ApiNotFoundResponse({ type: ProblemDto })
  revoke(@Param('id', Id('report share')) id: string) {
    return this.sharing.revoke(id);
  }
}
