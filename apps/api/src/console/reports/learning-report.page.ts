import { Body, Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  InvalidInputError,
  LearningNoteService,
  LearningReportService,
  MAX_NOTE_LENGTH,
  NotFoundError,
  ObjectiveService,
  OrganizationService,
  PilotService,
  ReportFormats,
  ReportSharing,
  SHARE_DEFAULT_DAYS,
  SHARE_MAX_DAYS,
  type CreatedShare,
  type LearningReportView,
} from '@luotsi/domain';
import { textsFor } from '@luotsi/texts';
import { Roles } from '../../common/auth';
import { Id } from '../../common/params';
import { RateLimitGuard } from '../../common/rate-limit.guard';
import { CreateLearningNoteDto } from '../../reports/learning-report.dto';
import { CreateReportShareDto } from '../../reports/report-share.dto';
import { ConsolePages } from '../console-pages';
import { checkForm, type FieldError } from '../form';
import { languageOf, type ConsoleRequest } from '../page-context';
import { embeddedLanguage, isManager, reportArea, sendFormat } from './report-page';

type Form = Record<string, unknown>;

/**
 * A quarter's learning report in the console: its build status (polled while it builds), the report's
 * own sections as its renderer makes them, the coach's lessons, the carry-over of objectives, the
 * formats, and share links. Writes go through the same services and roles as the API.
 */
@ApiExcludeController()
@Controller('app')
export class LearningReportPage {
  constructor(
    private readonly pages: ConsolePages,
    private readonly reports: LearningReportService,
    private readonly notes: LearningNoteService,
    private readonly formats: ReportFormats,
    private readonly sharing: ReportSharing,
    private readonly pilots: PilotService,
    private readonly objectives: ObjectiveService,
    private readonly organizations: OrganizationService,
  ) {}

  @Get('quarters/:id/report')
  async show(
    @Param('id', Id('quarter')) quarterId: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const notice = noticeOf(request);
    await this.render(request, response, quarterId, { notice });
  }

  /** The report as a page of its own, a PDF or the numbers, as the member may read it. */
  @Get('quarters/:id/report.:format')
  // A `.pdf` counts against the PDF limit (only: the participant pages' limit is theirs).
  @SkipThrottle({ default: true })
  @UseGuards(RateLimitGuard)
  async format(
    @Param('id', Id('quarter')) quarterId: string,
    @Param('format') format: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const id = await this.formats.learningReportOfQuarter(quarterId);
    await sendFormat(this.formats, request, response, 'learning', id, format);
  }

  @Post('quarters/:id/report/build')
  @Roles('owner', 'coach')
  async build(@Param('id', Id('quarter')) quarterId: string, @Res() response: Response) {
    await this.reports.request(quarterId);
    this.pages.redirect(response, `/app/quarters/${quarterId}/report?notice=queued`);
  }

  @Post('quarters/:id/report/notes')
  @Roles('owner', 'coach')
  async addNote(
    @Param('id', Id('quarter')) quarterId: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const t = textsFor(languageOf(request));
    const labels = { body: t('reports:learning.notes.label') };
    // The checkbox is "on" or absent; the text goes through the API's checks.
    const { forNextWave, ...text } = body;
    const checked = await checkForm(CreateLearningNoteDto, text, languageOf(request), labels);
    const noteError = (message: string): FieldError[] => [{ field: 'body', message }];
    const tooLong = t('reports:learning.notes.tooLong', { max: MAX_NOTE_LENGTH });
    if (checked.errors.length)
      return this.render(request, response, quarterId, { errors: noteError(tooLong), values: body }, 422);
    try {
      await this.notes.add(quarterId, checked.value!.body, { forNextWave: forNextWave === 'on' });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const blank = !(typeof body.body === 'string' && body.body.trim());
      const message = blank ? t('reports:learning.notes.blank') : tooLong;
      return this.render(request, response, quarterId, { errors: noteError(message), values: body }, 422);
    }
    this.pages.redirect(response, `/app/quarters/${quarterId}/report?notice=note#notes`);
  }

  @Post('quarters/:id/report/shares')
  @Roles('owner', 'coach')
  async share(
    @Param('id', Id('quarter')) quarterId: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const language = languageOf(request);
    const t = textsFor(language);
    const report = await this.reports.get(quarterId);
    // A form posts text: the number of days is converted as the API's JSON would carry it.
    const days = typeof body.expiresInDays === 'string' && body.expiresInDays.trim() ? body.expiresInDays.trim() : '';
    const fields = {
      audience: body.audience,
      ...(days ? { expiresInDays: /^\d+$/.test(days) ? Number(days) : days } : {}),
    };
    const labels = {
      audience: t('reports:learning.share.audience'),
      expiresInDays: t('reports:learning.share.days'),
    };
    const checked = await checkForm(CreateReportShareDto, fields, language, labels);
    if (checked.errors.length)
      return this.render(request, response, quarterId, { errors: checked.errors, values: body }, 422);
    const created = await this.sharing.create('learning', report.id, checked.value!);
    // The link exists only in this answer (only its hash is kept), so it is shown here, not after a redirect.
    await this.render(request, response, quarterId, { created }, 201);
  }

  @Post('quarters/:id/report/shares/:share/revoke')
  @Roles('owner', 'coach')
  async revoke(
    @Param('id', Id('quarter')) quarterId: string,
    @Param('share', Id('report share')) shareId: string,
    @Res() response: Response,
  ) {
    const report = await this.reports.get(quarterId);
    const shares = await this.sharing.list('learning', report.id);
    // Only a link of this quarter's report is revoked from its page.
    if (!shares.some((share) => share.id === shareId)) throw new NotFoundError('report share');
    await this.sharing.revoke(shareId);
    this.pages.redirect(response, `/app/quarters/${quarterId}/report?notice=revoked#shares`);
  }

  private async render(
    request: ConsoleRequest,
    response: Response,
    quarterId: string,
    extra: { notice?: string; errors?: FieldError[]; values?: Form; created?: CreatedShare },
    status = 200,
  ) {
    const t = textsFor(languageOf(request));
    const quarter = await this.pilots.quarter(quarterId);
    const [pilot, organization] = await Promise.all([
      this.pilots.pilot(quarter.pilotId),
      this.organizations.get(quarter.organizationId),
    ]);
    const report: LearningReportView | null = await this.reports.get(quarterId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    const manager = isManager(request);
    const area = await reportArea(this.formats, 'learning', report, embeddedLanguage(request));
    const notes = report ? report.notes : await this.notes.listForQuarter(quarterId);
    const shares = manager && report?.status === 'ready' ? await this.sharing.list('learning', report.id) : [];
    const carryOver = await this.carryOver(quarter);
    const notices: Record<string, string> = {
      queued: t('reports:status.queuedNotice'),
      note: t('reports:learning.notes.added'),
      revoked: t('reports:learning.share.revoked'),
    };
    this.pages.send(
      request,
      response,
      'reports/learning',
      'reports:learning.title',
      {
        pilot: pilot.name,
        quarter: quarter.label,
        quarterId,
        pilotId: pilot.id,
        wave: pilot.waveNumber,
        organization: organization.name,
        quarterLabel: quarter.label,
        manager,
        area,
        notes,
        carryOver,
        shares,
        created: extra.created,
        notice: extra.notice ? notices[extra.notice] : undefined,
        errors: extra.errors,
        values: extra.values ?? { audience: 'sponsor', expiresInDays: String(SHARE_DEFAULT_DAYS) },
        maxNote: MAX_NOTE_LENGTH,
        maxDays: SHARE_MAX_DAYS,
        formatBase: `/app/quarters/${quarterId}/report`,
      },
      status,
    );
  }

  /** The quarter's objectives and, for each, its copy in the next quarter if it was carried over. */
  private async carryOver(quarter: { id: string; pilotId: string; number: number }) {
    const all = { limit: 100, offset: 0 };
    const { items } = await this.objectives.listForQuarter(quarter.id, all);
    const next = await this.pilots.quarterAfter(quarter as Parameters<PilotService['quarterAfter']>[0]);
    const copies = next ? (await this.objectives.listForQuarter(next.id, all)).items : [];
    return {
      next: next?.label ?? null,
      objectives: items.map((objective) => ({
        title: objective.title,
        finalScore: objective.finalScore,
        carried: copies.find((copy) => copy.carriedFromId === objective.id)?.title ?? null,
      })),
    };
  }
}

/** The notice named in the query after a redirect (`?notice=…`), if any. */
export function noticeOf(request: ConsoleRequest): string | undefined {
  const notice = request.query.notice;
  return typeof notice === 'string' ? notice : undefined;
}
