import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import type { Quarter } from '@luotsi/database';
import {
  allowedActions,
  CadenceService,
  Clock,
  ConflictError,
  nextQuarter,
  NotFoundError,
  OrganizationService,
  parseQuarterLabel,
  ParticipantService,
  PILOT_ACTIONS,
  PilotService,
  formatQuarterLabel,
  type PilotAction,
  type PilotView,
} from '@luotsi/domain';
import { formatDate, formatQuarter, textsFor, type Language } from '@luotsi/texts';
import { Roles } from '../../common/auth';
import { isUuid } from '../../common/params';
import { ExtendPilotDto } from '../../pilots/pilot.dto';
import { ConsolePages } from '../console-pages';
import { checkForm } from '../form';
import { languageOf, type ConsoleRequest } from '../page-context';
import { addDays } from './pilot-timeline';

/** The mails sent more than this many days late are skipped by the scheduler (its grace for a late start). */
const LATE_START_GRACE_DAYS = 2;

/**
 * The actions the pilot's state allows, as the lifecycle rules say; `advance` only while a quarter is
 * left to start (the last one is reviewed instead).
 */
export function actionsOf(pilot: PilotView, quarters: Quarter[]) {
  const upcoming = quarters.some((q) => q.state === 'upcoming');
  return allowedActions(pilot.state)
    .filter((action) => action !== 'advance' || upcoming)
    .map((action) => ({ action, href: `/app/pilots/${pilot.id}/${action}`, warning: action === 'stop' }));
}

const isAction = (value: string): value is PilotAction =>
  (PILOT_ACTIONS as readonly string[]).includes(value);
/** One route per action, spelled out, so the pilot's other pages (participants…) are never taken for one. */
const ROUTES = PILOT_ACTIONS.map((action) => `pilots/:id/${action}`);
const actionOf = (request: ConsoleRequest) => request.path.split('/').pop() ?? '';

/**
 * The pilot's lifecycle from the console: each action first as a "check your answers" page saying in
 * plain words what will happen, then the same service call the API's `POST /pilots/{id}/<action>` makes.
 * A refused move is a page of its own (409) that says what the pilot can do instead.
 */
@ApiExcludeController()
@Controller('app')
export class PilotLifecycleController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly pilots: PilotService,
    private readonly organizations: OrganizationService,
    private readonly participants: ParticipantService,
    private readonly cadence: CadenceService,
    private readonly clock: Clock,
  ) {}

  @Get(ROUTES)
  @Roles('owner', 'coach')
  async confirm(@Req() request: ConsoleRequest, @Res() response: Response, @Param('id') id: string) {
    const action = actionOf(request);
    const pilot = await this.pilot(id, action);
    const quarters = await this.pilots.listQuarters(pilot.id);
    if (!actionsOf(pilot, quarters).some((a) => a.action === action))
      return this.refuse(request, response, pilot, quarters, action as PilotAction);
    await this.sendConfirmation(request, response, pilot, quarters, action as PilotAction, {});
  }

  @Post(ROUTES)
  async act(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const action = actionOf(request);
    const pilot = await this.pilot(id, action);
    const language = languageOf(request);
    let options: { quarters?: number } = {};
    if (action === 'extend') {
      const raw = typeof body.quarters === 'string' ? body.quarters.trim() : '';
      const posted = { quarters: raw === '' ? undefined : /^-?\d+$/.test(raw) ? Number(raw) : raw };
      const t = textsFor(language);
      const checked = await checkForm(ExtendPilotDto, posted, language, {
        quarters: t('pilot:confirm.extend.quartersLabel'),
      });
      if (checked.errors.length) {
        const quarters = await this.pilots.listQuarters(pilot.id);
        return this.sendConfirmation(request, response, pilot, quarters, 'extend', {
          errors: checked.errors,
          values: { quarters: raw },
          status: 422,
        });
      }
      options = { quarters: checked.value!.quarters };
    }
    try {
      const after = await this.pilots.act(pilot.id, action as PilotAction, options);
      const quarter = after.currentQuarter ? `&quarter=${after.currentQuarter.id}` : '';
      this.pages.redirect(response, `/app/pilots/${pilot.id}?done=${action}${quarter}`);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const fresh = await this.pilots.get(pilot.id);
      const quarters = await this.pilots.listQuarters(pilot.id);
      this.refuse(request, response, fresh, quarters, action as PilotAction, error.message);
    }
  }

  private async pilot(id: string, action: string): Promise<PilotView> {
    if (!isUuid(id) || !isAction(action)) throw new NotFoundError('page');
    return this.pilots.get(id);
  }

  private refuse(
    request: ConsoleRequest,
    response: Response,
    pilot: PilotView,
    quarters: Quarter[],
    action: PilotAction,
    reason?: string,
  ) {
    this.pages.send(
      request,
      response,
      'pilots/refused',
      'pilot:refused.title',
      {
        pilot,
        action,
        reason,
        actions: actionsOf(pilot, quarters),
        // The state allows advancing, but no quarter is left to advance to.
        lastQuarter: action === 'advance' && allowedActions(pilot.state).includes('advance'),
      },
      409,
    );
  }

  private async sendConfirmation(
    request: ConsoleRequest,
    response: Response,
    pilot: PilotView,
    quarters: Quarter[],
    action: PilotAction,
    form: { errors?: unknown[]; values?: Record<string, unknown>; status?: number },
  ) {
    const language = languageOf(request);
    const consequences = await this.consequences(language, pilot, quarters, action);
    this.pages.send(
      request,
      response,
      'pilots/confirm',
      `pilot:confirm.${action}.title`,
      {
        pilot,
        action,
        consequences,
        extend: action === 'extend',
        warning: action === 'stop',
        errors: form.errors,
        values: form.values ?? { quarters: '2' },
      },
      form.status ?? 200,
    );
  }

  /** What the action will do, sentence by sentence, from the pilot as it is now. */
  private async consequences(
    language: Language,
    pilot: PilotView,
    quarters: Quarter[],
    action: PilotAction,
  ): Promise<string[]> {
    const t = textsFor(language);
    const label = (q: Quarter | undefined) => (q ? formatQuarter(language, q.label) : '');
    const active = quarters.find((q) => q.state === 'active');
    const upcoming = quarters.find((q) => q.state === 'upcoming');
    const last = quarters[quarters.length - 1];
    const organization = await this.organizations.get(pilot.organizationId);
    const today = DateTime.fromJSDate(this.clock.now()).setZone(organization.timeZone).toISODate()!;
    const day = (d: string) => formatDate(language, d);
    switch (action) {
      case 'start': {
        const people = (await this.participants.listForPilot(pilot.id, { limit: 1, offset: 0 })).total;
        const plan = await this.cadence.pilotPlan(pilot.id);
        const first = upcoming!;
        const kickoff = plan.steps
          .filter((s) => s.audience === 'participants' && s.kind === 'prompt')
          .map((s) => ({
            ...s,
            date: addDays(s.anchor === 'start' ? first.startsOn : first.endsOn, s.offsetDays),
          }))
          .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))[0];
        const lines = [
          t('pilot:confirm.start.quarter', {
            label: label(first),
            from: day(first.startsOn),
            to: day(first.endsOn),
          }),
        ];
        if (!kickoff) lines.push(t('pilot:confirm.start.noKickoff'));
        else if (kickoff.date >= today)
          lines.push(
            t('pilot:confirm.start.kickoff', {
              count: people,
              date: day(kickoff.date),
              time: kickoff.sendTime,
            }),
          );
        // A quarter started late still sends its kickoff (the prompt-kickoff step) on the day it starts.
        else if (
          kickoff.template === 'prompt-kickoff' ||
          daysBetween(kickoff.date, today) <= LATE_START_GRACE_DAYS
        )
          lines.push(t('pilot:confirm.start.kickoffNow', { count: people }));
        else lines.push(t('pilot:confirm.start.kickoffPassed', { date: day(kickoff.date) }));
        if (people === 0) lines.push(t('pilot:confirm.start.nobody'));
        lines.push(t('pilot:confirm.start.cadence'));
        return lines;
      }
      case 'advance':
        return [
          active ? t('pilot:confirm.advance.closes', { label: label(active) }) : null,
          active ? t('pilot:confirm.advance.report', { label: label(active) }) : null,
          t('pilot:confirm.advance.next', { label: label(upcoming), from: day(upcoming!.startsOn) }),
          t('pilot:confirm.advance.cadence'),
        ].filter((line): line is string => !!line);
      case 'review':
        return [
          active ? t('pilot:confirm.review.closes', { label: label(active) }) : null,
          t('pilot:confirm.review.noMail'),
          t('pilot:confirm.review.next'),
        ].filter((line): line is string => !!line);
      case 'extend': {
        const next = parseQuarterLabel(last.label)!;
        const first = formatQuarterLabel(nextQuarter(next));
        return [
          t('pilot:confirm.extend.adds', { label: formatQuarter(language, first) }),
          t('pilot:confirm.extend.next'),
        ];
      }
      case 'graduate':
        return [t('pilot:confirm.graduate.ends'), t('pilot:confirm.graduate.reports')];
      case 'stop':
        return [
          active ? t('pilot:confirm.stop.closes', { label: label(active) }) : null,
          t('pilot:confirm.stop.noMail'),
          t('pilot:confirm.stop.final'),
        ].filter((line): line is string => !!line);
    }
  }
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
