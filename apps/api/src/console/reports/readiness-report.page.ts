import { Body, Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ROLLOUT_DECISIONS } from '@luotsi/database';
import {
  ConflictError,
  InvalidInputError,
  MAX_REASON,
  NextWaveService,
  NotFoundError,
  OrganizationService,
  ReadinessReportService,
  ReportFormats,
  RolloutDecisionService,
  RolloutService,
  type ReadinessReportView,
} from '@luotsi/domain';
import { textsFor } from '@luotsi/texts';
import { Roles } from '../../common/auth';
import { Id } from '../../common/params';
import { RateLimitGuard } from '../../common/rate-limit.guard';
import { DecisionDto, NextWavePilotDto } from '../../reports/readiness-report.dto';
import { ConsolePages } from '../console-pages';
import { checkForm, fieldErrorsOf, integer, text, type FieldError } from '../form';
import { languageOf, type ConsoleRequest } from '../page-context';
import { noticeOf } from './learning-report.page';
import { embeddedLanguage, isManager, reportArea, sendFormat } from './report-page';

type Form = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A rollout's readiness report in the console, for its owner, coaches and the sponsors granted the
 * organization: the gates with their numbers and the proposed next wave (the report's own sections),
 * the decisions so far, and, for those the API lets decide (owner, sponsor), the decision with a
 * "check your answers" step before it is recorded.
 */
@ApiExcludeController()
@Controller('app')
export class ReadinessReportPage {
  constructor(
    private readonly pages: ConsolePages,
    private readonly reports: ReadinessReportService,
    private readonly decisions: RolloutDecisionService,
    private readonly formats: ReportFormats,
    private readonly rollouts: RolloutService,
    private readonly organizations: OrganizationService,
    private readonly nextWaves: NextWaveService,
  ) {}

  @Get('rollouts/:id/readiness')
  async show(@Param('id', Id('rollout')) rolloutId: string, @Req() request: ConsoleRequest, @Res() response: Response) {
    await this.render(request, response, rolloutId, { notice: noticeOf(request) });
  }

  @Get('rollouts/:id/readiness.:format')
  // A `.pdf` counts against the PDF limit (only: the participant pages' limit is theirs).
  @SkipThrottle({ default: true })
  @UseGuards(RateLimitGuard)
  async format(
    @Param('id', Id('rollout')) rolloutId: string,
    @Param('format') format: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const report = await this.reports.latest(rolloutId);
    await sendFormat(this.formats, request, response, 'readiness', report.id, format);
  }

  @Post('rollouts/:id/readiness/build')
  @Roles('owner', 'coach')
  async build(@Param('id', Id('rollout')) rolloutId: string, @Res() response: Response) {
    await this.reports.request(rolloutId);
    this.pages.redirect(response, `/app/rollouts/${rolloutId}/readiness?notice=queued`);
  }

  /** The decision form: checked as the API checks it, then shown back for confirmation (nothing stored). */
  @Post('rollouts/:id/readiness/decision')
  @Roles('owner', 'sponsor')
  async check(
    @Param('id', Id('rollout')) rolloutId: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const report = await this.reportOf(rolloutId, body.reportId);
    // "Change" on the confirmation page: the form again, filled in.
    if (body.change !== undefined) return this.render(request, response, rolloutId, { values: body });
    const errors = await this.decisionErrors(request, body);
    if (errors.length) return this.render(request, response, rolloutId, { values: body, errors }, 422);
    const rollout = await this.rollouts.get(rolloutId);
    const organization = await this.organizations.get(rollout.organizationId);
    this.pages.send(request, response, 'reports/decision-confirm', 'reports:readiness.confirm.title', {
      rolloutId,
      organization: organization.name,
      reportId: report.id,
      builtAt: report.builtAt,
      decision: body.decision,
      reason: text(body.reason),
    });
  }

  @Post('rollouts/:id/readiness/decision/confirm')
  @Roles('owner', 'sponsor')
  async decide(
    @Param('id', Id('rollout')) rolloutId: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const report = await this.reportOf(rolloutId, body.reportId);
    const errors = await this.decisionErrors(request, body);
    if (errors.length) return this.render(request, response, rolloutId, { values: body, errors }, 422);
    await this.decisions.decide(report.id, { decision: body.decision as DecisionDto['decision'], reason: text(body.reason)! });
    this.pages.redirect(response, `/app/rollouts/${rolloutId}/readiness?notice=decided#decisions`);
  }

  /**
   * The next wave from the report's proposal, after a go: one pilot, named, sized and started as the
   * coach adjusts the proposal (the API takes several), seeded from the previous wave.
   */
  @Post('rollouts/:id/readiness/next-wave')
  @Roles('owner', 'coach')
  async createNextWave(
    @Param('id', Id('rollout')) rolloutId: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const report = await this.reportOf(rolloutId, body.reportId);
    const t = textsFor(languageOf(request));
    const labels = {
      name: t('reports:readiness.nextWave.name'),
      size: t('reports:readiness.nextWave.size'),
      startQuarter: t('reports:readiness.nextWave.startQuarter'),
    };
    const pilot = { name: text(body.name), size: integer(body.size), startQuarter: text(body.startQuarter) };
    const checked = await checkForm(NextWavePilotDto, pilot, languageOf(request), labels);
    const again = (errors: FieldError[], status: number) =>
      this.render(request, response, rolloutId, { waveValues: body, errors }, status);
    if (!checked.value) return again(checked.errors, 422);
    try {
      await this.nextWaves.create(report.id, { pilots: [checked.value] });
    } catch (error) {
      if (error instanceof InvalidInputError)
        return again(
          fieldErrorsOf(error, labels).map((e) => ({ ...e, field: e.field.replace(/^pilots\[0\]\./, '') })),
          422,
        );
      if (error instanceof ConflictError)
        return again([{ field: 'next-wave', message: t('reports:readiness.nextWave.needsGo') }], 409);
      throw error;
    }
    this.pages.redirect(response, `/app/rollouts/${rolloutId}/readiness?notice=waveCreated#next-wave`);
  }

  /** The report the form was shown with: one of this rollout's (another's id is not found). */
  private async reportOf(rolloutId: string, reportId: unknown): Promise<ReadinessReportView> {
    await this.rollouts.get(rolloutId);
    if (typeof reportId !== 'string' || !UUID.test(reportId)) throw new NotFoundError('readiness report');
    const report = await this.reports.get(reportId.toLowerCase());
    if (report.rolloutId !== rolloutId) throw new NotFoundError('readiness report');
    return report;
  }

  /** The API's own DTO decides what is valid; the messages say what to do, in the reader's language. */
  private async decisionErrors(request: ConsoleRequest, body: Form): Promise<FieldError[]> {
    const language = languageOf(request);
    const t = textsFor(language);
    const fields = { decision: body.decision, reason: typeof body.reason === 'string' ? body.reason.trim() : body.reason };
    const checked = await checkForm(DecisionDto, fields, language, {});
    const failed = new Set(checked.errors.map((error) => error.field));
    const errors: FieldError[] = [];
    if (failed.has('decision')) errors.push({ field: 'decision', message: t('reports:readiness.decide.chooseDecision') });
    if (failed.has('reason'))
      errors.push({
        field: 'reason',
        message: text(body.reason)
          ? t('reports:readiness.decide.reasonTooLong', { max: MAX_REASON })
          : t('reports:readiness.decide.enterReason'),
      });
    return errors;
  }

  /**
   * What the next-wave section shows a coach: the wave created from this report, or the proposal with
   * the form once the latest decision is go, or the proposal alone while it is not.
   */
  private async nextWaveOf(report: ReadinessReportView, values?: Form) {
    const proposal = report.content?.nextWave;
    if (!proposal?.levels.length) return null;
    const wave = await this.nextWaves.waveOf(report.id);
    return {
      proposal,
      wave,
      canCreate: !wave && report.decision?.decision === 'go',
      values: values ?? { size: proposal.size, startQuarter: proposal.startQuarter },
    };
  }

  private async render(
    request: ConsoleRequest,
    response: Response,
    rolloutId: string,
    extra: { notice?: string; errors?: FieldError[]; values?: Form; waveValues?: Form },
    status = 200,
  ) {
    const t = textsFor(languageOf(request));
    const rollout = await this.rollouts.get(rolloutId);
    const organization = await this.organizations.get(rollout.organizationId);
    const report = await this.reports.latest(rolloutId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    const area = await reportArea(this.formats, 'readiness', report, embeddedLanguage(request));
    const { items: decisions } = await this.decisions.list(rolloutId, { limit: 50, offset: 0 });
    const role = request.actor?.role;
    const notices: Record<string, string> = {
      queued: t('reports:status.queuedNotice'),
      decided: t('reports:readiness.confirm.recorded'),
      waveCreated: t('reports:readiness.nextWave.created'),
    };
    const nextWave = isManager(request) && report?.status === 'ready' ? await this.nextWaveOf(report, extra.waveValues) : null;
    this.pages.send(
      request,
      response,
      'reports/readiness',
      'reports:readiness.title',
      {
        rolloutId,
        goal: rollout.goal,
        organization: organization.name,
        organizationId: organization.id,
        manager: isManager(request),
        canDecide: role === 'owner' || role === 'sponsor',
        reportId: report?.status === 'ready' ? report.id : null,
        area,
        decisions,
        choices: ROLLOUT_DECISIONS.map((key) => ({ key, checked: extra.values?.decision === key })),
        notice: extra.notice ? notices[extra.notice] : undefined,
        errors: extra.errors,
        values: extra.values ?? {},
        maxReason: MAX_REASON,
        formatBase: `/app/rollouts/${rolloutId}/readiness`,
        nextWave,
      },
      status,
    );
  }
}
