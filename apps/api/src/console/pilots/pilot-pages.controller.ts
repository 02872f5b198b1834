import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ANONYMITY_MODES, type AnonymityMode, type Quarter } from '@luotsi/database';
import {
  CadenceService,
  DeliveryReportService,
  NotFoundError,
  ObjectiveService,
  OrganizationService,
  ParticipantService,
  PEOPLE_SHOWN,
  PilotService,
  PracticeSignalsService,
  RetrospectivePeople,
  RetrospectiveService,
  RolloutService,
  type PilotView,
  type RetrospectiveView,
} from '@luotsi/domain';
import { formatQuarter, textsFor } from '@luotsi/texts';
import { Roles } from '../../common/auth';
import { isUuid } from '../../common/params';
import { ConsolePages } from '../console-pages';
import { languageOf, type ConsoleRequest } from '../page-context';
import { checkInGrid, timelineOf } from './pilot-timeline';
import { actionsOf } from './pilot-lifecycle-pages';

/** The notices a redirect back to the pilot may ask for (`?done=`); anything else shows nothing. */
const NOTICES = new Set([
  'start',
  'advance',
  'review',
  'extend',
  'graduate',
  'stop',
  'opened',
  'reminded',
  'closed',
  'retried',
]);
const ALL = { limit: 200, offset: 0 };

/** The coach's view of one pilot during a quarter, and the quarter's retrospective and delivery actions. */
@ApiExcludeController()
@Controller('app')
export class PilotPagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly pilots: PilotService,
    private readonly organizations: OrganizationService,
    private readonly rollouts: RolloutService,
    private readonly participants: ParticipantService,
    private readonly retrospectives: RetrospectiveService,
    private readonly people: RetrospectivePeople,
    private readonly objectives: ObjectiveService,
    private readonly signals: PracticeSignalsService,
    private readonly deliveries: DeliveryReportService,
    private readonly cadence: CadenceService,
  ) {}

  @Get('pilots/:id')
  async show(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('quarter') quarterParam?: string,
    @Query('done') done?: string,
    @Query('n') n?: string,
  ) {
    if (!isUuid(id)) throw new NotFoundError('pilot');
    // The pilot, its quarters and rollout are read once here and handed to the services that need them;
    // what does not depend on another read runs side by side (none of it shares a transaction).
    const { pilot, quarters } = await this.pilots.withQuarters(id);
    const coach = request.actor?.role !== 'sponsor';
    const quarter = chosenQuarter(pilot, quarters, quarterParam);
    const rolloutRead = this.rollouts.get(pilot.rolloutId);
    const [organization, rollout, participants, plan, quarterData] = await Promise.all([
      this.organizations.get(pilot.organizationId),
      rolloutRead,
      coach ? this.participants.countInPilot(pilot.id) : null,
      coach ? this.cadence.pilotPlan(pilot.id) : null,
      quarter ? this.quarterData(pilot.id, quarter, coach) : null,
    ]);
    const language = languageOf(request);
    const t = textsFor(language);

    const data: Record<string, unknown> = {
      pilot,
      organization,
      rollout,
      coach,
      participants,
      ownPlan: plan ? !plan.inherited : false,
      actions: coach ? actionsOf(pilot, quarters) : [],
      quarters: quarters.map((q) => ({ ...q, current: q.id === quarter?.id })),
      chosen: quarter,
      flash:
        done && NOTICES.has(done)
          ? t(`pilot:notices.${done}`, {
              count: Number(n) || 0,
              label: formatQuarter(language, quarter?.label),
            })
          : undefined,
    };
    if (quarter && quarterData) {
      const { runs, objectives, signals, report } = quarterData;
      const names = quarterData.names ?? new Map<string, string>();
      data.runs = quarterData.runViews;
      data.canOpenRun = coach && quarter.state === 'active' && runs.length === 0;
      data.anonymityModes = ANONYMITY_MODES;
      data.objectives = objectives.items.map((o) => ({
        ...o,
        ownerName: o.ownerId ? (names.get(o.ownerId) ?? null) : null,
        keyResults: o.keyResults.map((kr) => ({
          ...kr,
          ownerName: kr.ownerId ? (names.get(kr.ownerId) ?? null) : null,
        })),
      }));
      data.grid = checkInGrid(signals);
      data.currentWeek = signals.currentWeek;
      if (plan && report) {
        data.timeline = timelineOf(quarter, plan, report);
        data.deliveries = report;
      }
    }
    this.pages.send(request, response, 'pilots/show', 'pilot:show.title', { ...data, name: pilot.name });
  }

  /**
   * One retrospective run: its response rate and, where the run's mode allows, who has not answered.
   * htmx fetches it every few seconds while the run is open (only the fragment); without htmx it is a page.
   */
  @Get('pilots/:id/retrospectives/:runId')
  async retrospective(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('runId') runId: string,
  ) {
    const pilot = await this.pilot(id);
    const run = await this.run(pilot, runId);
    const fragment = !!request.get('hx-request');
    this.pages.send(
      request,
      response,
      fragment ? 'pilots/_retrospective' : 'pilots/retrospective',
      'pilot:retrospective.title',
      { pilot, run: await this.runView(pilot.id, run, request.actor?.role !== 'sponsor') },
    );
  }

  @Post('pilots/:id/quarters/:quarterId/retrospectives')
  @Roles('owner', 'coach')
  async open(
    @Res() response: Response,
    @Param('id') id: string,
    @Param('quarterId') quarterId: string,
    @Body() body: Record<string, unknown>,
  ) {
    const pilot = await this.pilot(id);
    const quarter = await this.quarter(pilot, quarterId);
    const anonymity = ANONYMITY_MODES.includes(body.anonymity as AnonymityMode)
      ? (body.anonymity as AnonymityMode)
      : 'anonymous';
    await this.retrospectives.open(quarter.id, { anonymity });
    this.pages.redirect(response, `/app/pilots/${pilot.id}?quarter=${quarter.id}&done=opened`);
  }

  /** Whether the pilot waits for the coach's review at a quarter's end, or moves on by itself. */
  @Post('pilots/:id/wait-for-review')
  @Roles('owner', 'coach')
  async waitForReview(
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const pilot = await this.pilot(id);
    await this.pilots.update(pilot.id, { waitForReview: body.wait === 'true' });
    this.pages.redirect(response, `/app/pilots/${pilot.id}${body.back === 'cadence' ? '/cadence' : ''}`);
  }

  @Post('pilots/:id/retrospectives/:runId/remind')
  @Roles('owner', 'coach')
  async remind(@Res() response: Response, @Param('id') id: string, @Param('runId') runId: string) {
    const pilot = await this.pilot(id);
    const run = await this.run(pilot, runId);
    const { reminded } = await this.retrospectives.remind(run.id);
    this.pages.redirect(
      response,
      `/app/pilots/${pilot.id}?quarter=${run.quarterId}&done=reminded&n=${reminded}`,
    );
  }

  /** Closing is final (links stop working), so it is confirmed first. */
  @Get('pilots/:id/retrospectives/:runId/close')
  @Roles('owner', 'coach')
  async confirmClose(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('runId') runId: string,
  ) {
    const pilot = await this.pilot(id);
    const run = await this.run(pilot, runId);
    this.pages.send(request, response, 'pilots/close-retrospective', 'pilot:closeRun.title', {
      pilot,
      run: await this.runView(pilot.id, run, true),
    });
  }

  @Post('pilots/:id/retrospectives/:runId/close')
  @Roles('owner', 'coach')
  async close(@Res() response: Response, @Param('id') id: string, @Param('runId') runId: string) {
    const pilot = await this.pilot(id);
    const run = await this.run(pilot, runId);
    await this.retrospectives.close(run.id);
    this.pages.redirect(response, `/app/pilots/${pilot.id}?quarter=${run.quarterId}&done=closed`);
  }

  @Post('pilots/:id/quarters/:quarterId/deliveries/retry')
  @Roles('owner', 'coach')
  async retry(
    @Res() response: Response,
    @Param('id') id: string,
    @Param('quarterId') quarterId: string,
    @Body() body: Record<string, unknown>,
  ) {
    const pilot = await this.pilot(id);
    const quarter = await this.quarter(pilot, quarterId);
    const one = typeof body.message === 'string' && isUuid(body.message) ? [body.message] : undefined;
    const { retried } = await this.deliveries.retry(quarter.id, one);
    this.pages.redirect(
      response,
      `/app/pilots/${pilot.id}?quarter=${quarter.id}&done=retried&n=${retried}#deliveries`,
    );
  }

  /**
   * What the pilot page shows of one quarter, read side by side; names of key results' owners are asked
   * for by id once the objectives are in (the coach's only: sponsors see no owners).
   */
  private async quarterData(pilotId: string, quarter: Quarter, coach: boolean) {
    const [runs, objectives, signals, report] = await Promise.all([
      this.retrospectives.listOfQuarter(quarter),
      this.objectives.listOfQuarter(quarter, ALL),
      this.signals.confidenceGrid(quarter),
      coach ? this.deliveries.reportOf(quarter) : null,
    ]);
    const owners = objectives.items.flatMap((o) => [o.ownerId, ...o.keyResults.map((kr) => kr.ownerId)]);
    const [runViews, names] = await Promise.all([
      Promise.all(runs.map((run) => this.runView(pilotId, run, coach))),
      coach
        ? this.participants.namesInPilot(
            pilotId,
            owners.filter((owner): owner is string => !!owner),
          )
        : null,
    ]);
    return { runs, runViews, objectives, signals, report, names };
  }

  private async pilot(id: string): Promise<PilotView> {
    if (!isUuid(id)) throw new NotFoundError('pilot');
    return this.pilots.get(id);
  }

  private async quarter(pilot: PilotView, quarterId: string): Promise<Quarter> {
    if (!isUuid(quarterId)) throw new NotFoundError('quarter');
    const quarter = await this.pilots.quarter(quarterId);
    if (quarter.pilotId !== pilot.id) throw new NotFoundError('quarter');
    return quarter;
  }

  private async run(pilot: PilotView, runId: string): Promise<RetrospectiveView> {
    if (!isUuid(runId)) throw new NotFoundError('retrospective');
    const run = await this.retrospectives.get(runId);
    if (run.pilotId !== pilot.id) throw new NotFoundError('retrospective');
    return run;
  }

  /** What the page shows of a run; names of non-responders only where the run's mode shows them. */
  private async runView(pilotId: string, run: RetrospectiveView, coach: boolean) {
    const open = run.state === 'open';
    const namesShown = coach && open && PEOPLE_SHOWN[run.anonymity].nonResponders === true;
    const waiting = namesShown ? await this.people.nonResponders(run.id, ALL) : null;
    return {
      id: run.id,
      pilotId,
      quarterId: run.quarterId,
      anonymity: run.anonymity,
      state: run.state,
      open,
      openedAt: run.openedAt,
      closesAt: run.closesAt,
      invited: run.invited,
      responded: run.responded,
      responseRate: run.responseRate,
      coach,
      namesShown,
      nonResponders: waiting?.items ?? [],
      nonRespondersMore: waiting ? waiting.total - waiting.items.length : 0,
      url: `/app/pilots/${pilotId}/retrospectives/${run.id}`,
    };
  }
}

/** The quarter asked for, else the active one, else the latest closed, else the first. */
function chosenQuarter(pilot: PilotView, quarters: Quarter[], asked?: string): Quarter | null {
  if (asked) {
    const found = quarters.find((q) => q.id === asked);
    if (!found) throw new NotFoundError('quarter');
    return found;
  }
  return (
    quarters.find((q) => q.id === pilot.currentQuarter?.id) ??
    [...quarters].reverse().find((q) => q.state === 'closed') ??
    quarters[0] ??
    null
  );
}
