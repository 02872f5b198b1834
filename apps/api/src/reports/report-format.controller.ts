import { applyDecorators, Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiUnprocessableEntityResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { ReportKind } from '@luotsi/database';
import {
  NotFoundError,
  PdfUnavailableError,
  REPORT_FORMATS,
  ReportFormats,
  reportLanguage,
  type ReportFormat,
} from '@luotsi/domain';
import { Authenticated } from '../common/auth';
import { ProblemDto } from '../common/openapi';
import { Id } from '../common/params';
import { problem } from '../common/problem.filter';
import { RateLimitGuard } from '../common/rate-limit.guard';
import { isReportFormat, sendReport } from './report-response';

const FORMAT_PARAM = {
  name: 'format',
  enum: REPORT_FORMATS,
  description:
    'json: the content as this reader may see it; html: the page with charts; csv: the numbers (long format); ' +
    'pdf: the page printed',
};

/** `?lang=`: the reader's language; the organization's default locale when absent. */
export const LANG_QUERY = {
  name: 'lang',
  required: false,
  enum: ['fi', 'sv', 'en'],
  description:
    "The language of the page, PDF and CSV headers (labels, flags and gate verdicts, quarters such as Q4/2027 in " +
    "Finnish, numbers and dates); the organization's default locale when absent. The JSON is the same in every language.",
};

const documented = () =>
  applyDecorators(
    ApiParam(FORMAT_PARAM),
    ApiQuery(LANG_QUERY),
    ApiProduces('application/json', 'text/html', 'text/csv', 'application/pdf'),
    ApiOkResponse({ description: 'The report in the format asked for' }),
    ApiNotFoundResponse({ type: ProblemDto, description: 'No such report, or it failed to build' }),
    ApiConflictResponse({
      type: ProblemDto,
      description: 'Still being built: `reportStatus` and `progress` say how far',
    }),
    ApiUnprocessableEntityResponse({ type: ProblemDto, description: '`lang` is not one of fi, sv, en' }),
    ApiResponse({ status: 501, type: ProblemDto, description: 'PDF asked for where Chromium is not installed' }),
    ApiResponse({
      status: 503,
      type: ProblemDto,
      description: 'PDF: every page of the printer busy and its queue full; `Retry-After` says when to try again',
    }),
    ApiResponse({
      status: 429,
      type: ProblemDto,
      description: 'PDF: more than PDF_RATE_PER_MINUTE requests a minute from this address; see `Retry-After`',
    }),
  );

/**
 * Built reports as a page, a CSV or a PDF (and the JSON they are rendered from), for members: coaches
 * and owners read the coach's view, sponsors with a grant the sponsor's view.
 */
@ApiTags('reports')
@Authenticated()
// Only the `.pdf` limit applies here (the participant pages' limit is theirs).
@SkipThrottle({ default: true })
@UseGuards(RateLimitGuard)
@Controller()
export class ReportFormatController {
  constructor(private readonly formats: ReportFormats) {}

  @Get('learning-reports/:id.:format')
  @documented()
  learning(
    @Param('id', Id('learning report')) id: string,
    @Param('format') format: string,
    @Query('lang') lang: unknown,
    @Res() response: Response,
  ) {
    return this.send('learning', id, format, lang, response);
  }

  @Get('quarters/:id/learning-report.:format')
  @documented()
  async learningOfQuarter(
    @Param('id', Id('quarter')) quarterId: string,
    @Param('format') format: string,
    @Query('lang') lang: unknown,
    @Res() response: Response,
  ) {
    const language = reportLanguage(lang);
    const id = await this.formats.learningReportOfQuarter(quarterId);
    return this.send('learning', id, format, language, response);
  }

  @Get('readiness-reports/:id.:format')
  @documented()
  readiness(
    @Param('id', Id('readiness report')) id: string,
    @Param('format') format: string,
    @Query('lang') lang: unknown,
    @Res() response: Response,
  ) {
    return this.send('readiness', id, format, lang, response);
  }

  private async send(kind: ReportKind, id: string, format: string, lang: unknown, response: Response) {
    if (!isReportFormat(format)) throw new NotFoundError('report format');
    const view = await this.formats.forMember(kind, id, reportLanguage(lang));
    try {
      sendReport(response, await this.formats.render(view, format as ReportFormat));
    } catch (error) {
      if (!(error instanceof PdfUnavailableError)) throw error;
      response
        .status(501)
        .type('application/problem+json')
        .send(JSON.stringify(problem(501, error.message, { title: 'Not Implemented' })));
    }
  }
}
