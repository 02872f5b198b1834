import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { LEVELS, type Quarter } from '@luotsi/database';
import {
  CadenceService,
  InvalidInputError,
  NotFoundError,
  OrganizationService,
  PilotService,
  QuestionSetService,
  RolloutService,
  TemplateService,
  type PlannedStep,
} from '@luotsi/domain';
import { TEMPLATE_NAMES } from '@luotsi/mail';
import { isLanguage, textsFor } from '@luotsi/texts';
import { UpdateCadenceDto } from '../cadence/cadence.dto';
import { Roles } from '../common/auth';
import { Id } from '../common/params';
import { ConsolePages } from './console-pages';
import { checkForm, fieldErrorsOf, type FieldError } from './form';
import { languageOf, type ConsoleRequest } from './page-context';

const DAY_MS = 24 * 3600 * 1000;

const uuidOrNull = (value: unknown) =>
  typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
    ? value
    : null;

/** A day offset as the calendar shows it: "+7", "−14". */
const signed = (days: number | undefined) =>
  days === undefined ? '' : days < 0 ? `\u2212${-days}` : `+${days}`;

/** The ISO week of a `YYYY-MM-DD` day, and its Monday and Sunday (Finland and Sweden count weeks so). */
function isoWeek(day: string): { key: string; week: number; monday: string; sunday: string } {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  const monday = new Date(date.getTime() - weekday * DAY_MS);
  const thursday = new Date(monday.getTime() + 3 * DAY_MS);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / DAY_MS / 7) + 1;
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return {
    key: `${thursday.getUTCFullYear()}-W${week}`,
    week,
    monday: iso(monday),
    sunday: iso(new Date(monday.getTime() + 6 * DAY_MS)),
  };
}

/** The steps that mail the pilot, whose audience the coach chooses; the others mail the coach or sponsors. */
const AUDIENCE_KINDS: readonly string[] = ['prompt', 'checkin_request', 'retrospective_close'];
const PILOT_AUDIENCES = ['participants', 'owners', 'level', 'non_responders'] as const;

/** The audience radios and the level select of the edit form, for a step whose audience is chosen. */
function audienceChoices(kind: string, values: { audience: string; audienceLevel: string }) {
  if (!AUDIENCE_KINDS.includes(kind)) return { audiences: null, levels: null };
  return {
    audiences: PILOT_AUDIENCES.map((key) => ({ key, checked: values.audience === key })),
    levels: LEVELS.map((key) => ({ key, selected: values.audienceLevel === key })),
  };
}

interface QuarterOption {
  id: string;
  label: string;
  pilotName: string;
  state: string;
  startsOn: string;
}

/**
 * A rollout's cadence plan as a quarter's calendar, each step on the day the scheduler gives it, and
 * each step's mail as it will look in fi, sv and en (the templates' preview, with sample data).
 */
@ApiExcludeController()
@Controller('app')
export class CadencePagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly cadence: CadenceService,
    private readonly rollouts: RolloutService,
    private readonly organizations: OrganizationService,
    private readonly pilots: PilotService,
    private readonly templates: TemplateService,
    private readonly questionSets: QuestionSetService,
  ) {}

  @Roles('owner', 'coach')
  @Get('rollouts/:id/cadence')
  async calendar(
    @Param('id', Id('rollout')) rolloutId: string,
    @Query('quarter') chosen: string | undefined,
    @Query('saved') saved: string | undefined,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const rollout = await this.rollouts.get(rolloutId);
    const organization = await this.organizations.get(rollout.organizationId);
    const plan = await this.cadence.get(rollout.id);
    const options: QuarterOption[] = [];
    for (const pilot of await this.pilots.pilotsOfRollout(rollout.id)) {
      const quarters: Quarter[] = await this.pilots.listQuarters(pilot.id);
      options.push(
        ...quarters.map((q) => ({
          id: q.id,
          label: q.label,
          pilotName: pilot.name,
          state: q.state,
          startsOn: q.startsOn,
        })),
      );
    }
    // The chosen quarter, else one running now, else the next to start, else the first.
    const quarter =
      options.find((o) => o.id === chosen) ??
      options.find((o) => o.state === 'active') ??
      options.find((o) => o.state === 'upcoming') ??
      options[0];
    const steps: PlannedStep[] = quarter ? await this.cadence.quarterCalendar(rollout.id, quarter.id) : [];
    const weeks: { week: number; monday: string; sunday: string; steps: unknown[] }[] = [];
    const byKey = new Map(plan.steps.map((s) => [s.key, s]));
    for (const step of [...steps].sort(
      (a, b) => a.stepDate.localeCompare(b.stepDate) || a.sendTime.localeCompare(b.sendTime),
    )) {
      const week = isoWeek(step.stepDate);
      let group = weeks.find((w) => w.monday === week.monday);
      if (!group)
        weeks.push((group = { week: week.week, monday: week.monday, sunday: week.sunday, steps: [] }));
      const planned = byKey.get(step.key);
      group.steps.push({ ...step, anchor: planned?.anchor, offset: signed(planned?.offsetDays) });
    }
    this.pages.send(request, response, 'cadence/calendar', 'cadence:calendar.title', {
      rollout,
      organization,
      plan: { ...plan, steps: plan.steps.map((s) => ({ ...s, offset: signed(s.offsetDays) })) },
      options: options.map((o) => ({ ...o, selected: o.id === quarter?.id })),
      current: quarter,
      weeks,
      previewLanguage: languageOf(request),
      flash:
        saved && plan.steps.some((s) => s.key === saved)
          ? textsFor(languageOf(request))('cadence:edit.saved', { key: saved })
          : undefined,
    });
  }

  /** One step's mail as it will look, in the chosen language, with sample data. */
  @Get('rollouts/:id/cadence/:stepKey/preview')
  @Roles('owner', 'coach')
  async preview(
    @Param('id', Id('rollout')) rolloutId: string,
    @Param('stepKey') stepKey: string,
    @Query('lang') lang: string | undefined,
    @Query('quarter') quarter: string | undefined,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const plan = await this.cadence.get(rolloutId);
    const step = plan.steps.find((s) => s.key === stepKey);
    if (!step) throw new NotFoundError('cadence step');
    const language = isLanguage(lang) ? lang : languageOf(request);
    const mail = await this.templates.previewSaved(step.template, language);
    const back = `/app/rollouts/${plan.rolloutId}/cadence${quarter && /^[0-9a-f-]{36}$/i.test(quarter) ? `?quarter=${quarter}` : ''}`;
    const self = `/app/rollouts/${plan.rolloutId}/cadence/${step.key}/preview`;
    const suffix = back.includes('?') ? `&quarter=${quarter}` : '';
    this.pages.send(request, response, 'cadence/preview', 'cadence:preview.title', {
      rolloutId: plan.rolloutId,
      step,
      mail,
      mailLanguage: language,
      back,
      languages: (['fi', 'sv', 'en'] as const).map((code) => ({
        code,
        href: `${self}?lang=${code}${suffix}`,
        current: code === language,
      })),
    });
  }

  /** Changing one step's day and send time: the whole plan saved through the API's own rules. */
  @Roles('owner', 'coach')
  @Get('rollouts/:id/cadence/:stepKey/edit')
  async editForm(
    @Param('id', Id('rollout')) rolloutId: string,
    @Param('stepKey') stepKey: string,
    @Query('quarter') quarter: string | undefined,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const { plan, step } = await this.step(rolloutId, stepKey);
    const values = {
      offsetDays: String(step.offsetDays),
      sendTime: step.sendTime,
      audience: step.audience,
      audienceLevel: step.audienceLevel ?? '',
    };
    this.pages.send(request, response, 'cadence/edit', 'cadence:edit.title', {
      rolloutId: plan.rolloutId,
      step,
      quarter: uuidOrNull(quarter),
      values,
      ...audienceChoices(step.kind, values),
    });
  }

  @Post('rollouts/:id/cadence/:stepKey/edit')
  async edit(
    @Param('id', Id('rollout')) rolloutId: string,
    @Param('stepKey') stepKey: string,
    @Body() body: Record<string, unknown>,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const { plan, step } = await this.step(rolloutId, stepKey);
    const language = languageOf(request);
    const t = textsFor(language);
    const labels = {
      offsetDays: t('cadence:edit.offsetDays'),
      sendTime: t('cadence:edit.sendTime'),
      audience: t('cadence:edit.audience'),
      audienceLevel: t('cadence:edit.audienceLevel'),
    };
    const offset = typeof body.offsetDays === 'string' ? body.offsetDays.trim().replace('\u2212', '-') : '';
    // Who gets the step's mail can be chosen for the steps that mail the pilot; the others keep theirs.
    const choosable = AUDIENCE_KINDS.includes(step.kind);
    const audience = choosable && typeof body.audience === 'string' ? body.audience : step.audience;
    const values = {
      offsetDays: offset,
      sendTime: typeof body.sendTime === 'string' ? body.sendTime.trim() : '',
      audience,
      audienceLevel: audience === 'level' && typeof body.audienceLevel === 'string' ? body.audienceLevel : '',
    };
    const quarter = uuidOrNull(body.quarter);
    const steps = plan.steps.map((s) =>
      s.key === step.key
        ? {
            ...s,
            offsetDays: /^-?\d+$/.test(offset) ? Number(offset) : offset,
            sendTime: values.sendTime,
            audience: values.audience,
            audienceLevel: values.audience === 'level' ? values.audienceLevel || null : null,
          }
        : s,
    );
    const fail = (errors: FieldError[]) =>
      this.pages.send(
        request,
        response,
        'cadence/edit',
        'cadence:edit.title',
        { rolloutId: plan.rolloutId, step, quarter, values, errors, ...audienceChoices(step.kind, values) },
        422,
      );
    const at = plan.steps.indexOf(step);
    const form = await checkForm(UpdateCadenceDto, { steps }, language, {
      [`steps.${at}.offsetDays`]: labels.offsetDays,
      [`steps.${at}.sendTime`]: labels.sendTime,
      [`steps.${at}.audience`]: labels.audience,
      [`steps.${at}.audienceLevel`]: labels.audienceLevel,
    });
    if (!form.value)
      return fail(
        form.errors.map((error) => {
          const field = error.field.split('.').pop() ?? '';
          // Not a number at all: say so, whichever of the number's rules the validator named first.
          return field === 'offsetDays' && !/^-?\d+$/.test(offset)
            ? { field, message: t('common:validation.isInt', { label: labels.offsetDays }) }
            : { ...error, field };
        }),
      );
    try {
      // The other steps keep what the page does not edit (texts, the retrospective they open).
      const questionSets = (await this.questionSets.list()).map((set) => set.id);
      await this.cadence.update(
        plan.rolloutId,
        { steps: form.value.steps },
        { templates: TEMPLATE_NAMES, questionSets },
      );
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return fail(
        fieldErrorsOf(
          new InvalidInputError(
            error.message,
            error.issues.map((issue) => ({ ...issue, field: issue.field.split('.').pop() ?? issue.field })),
          ),
          labels,
        ),
      );
    }
    this.pages.redirect(
      response,
      `/app/rollouts/${plan.rolloutId}/cadence?saved=${step.key}${quarter ? `&quarter=${quarter}` : ''}#step-${step.key}`,
    );
  }

  private async step(rolloutId: string, stepKey: string) {
    const plan = await this.cadence.get(rolloutId);
    const step = plan.steps.find((s) => s.key === stepKey);
    if (!step) throw new NotFoundError('cadence step');
    return { plan, step };
  }
}
