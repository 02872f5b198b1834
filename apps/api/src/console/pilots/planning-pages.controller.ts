import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { KEY_RESULT_KINDS, KEY_RESULT_MEASURES, type Quarter } from '@luotsi/database';
import {
  InvalidInputError,
  KeyResultService,
  NotFoundError,
  ObjectiveService,
  PilotService,
  PlanningService,
  type PilotView,
  type PlanningView,
} from '@luotsi/domain';
import { textsFor } from '@luotsi/texts';
import { Roles } from '../../common/auth';
import { isUuid } from '../../common/params';
import { ConsolePages } from '../console-pages';
import { fieldErrorsOf, str, text, type FieldError } from '../form';
import { languageOf, type ConsoleRequest } from '../page-context';

/** The notices a redirect back to the page may ask for (`?done=`). */
const NOTICES = new Set(['accepted', 'resolved', 'objective', 'keyResult']);

/** A number as a coach types it: "30", "-2", "2,5" (Finnish and Swedish decimals) or "2.5"; empty is none. */
function numberField(value: unknown): number | null | 'invalid' {
  const raw = text(value);
  if (raw === undefined) return null;
  const normalized = raw.replace(/\s/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(normalized) ? Number(normalized) : 'invalid';
}

/**
 * The planning dialogue in the console: the coach drafts a pilot's next quarter's objectives and key
 * results, reads what the participants said on each (comments, rewordings, offers to own, with names:
 * it is a dialogue, not a survey) with the OKR rules' hints, and closes the loop by accepting or
 * resolving each entry. Once the quarter starts the drafts are its OKRs and the page is a record.
 */
@ApiExcludeController()
@Controller('app')
@Roles('owner', 'coach')
export class PlanningPagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly pilots: PilotService,
    private readonly planning: PlanningService,
    private readonly objectives: ObjectiveService,
    private readonly keyResults: KeyResultService,
  ) {}

  @Get('pilots/:id/planning')
  async show(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @Query('quarter') quarterParam?: string,
    @Query('done') done?: string,
  ) {
    const { pilot, quarter } = await this.pilotAndQuarter(id, quarterParam);
    await this.render(request, response, pilot, quarter, { done });
  }

  @Post('pilots/:id/planning/:quarterId/objectives')
  async addObjective(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('quarterId') quarterId: string,
    @Body() body: Record<string, unknown>,
  ) {
    const { pilot, quarter } = await this.pilotAndQuarter(id, quarterId, true);
    const t = textsFor(languageOf(request));
    const labels = {
      title: t('pilot:planning.objectiveTitle'),
      description: t('pilot:planning.description'),
    };
    const values = { title: str(body.title), description: str(body.description) };
    try {
      await this.objectives.create(quarter.id, {
        title: values.title,
        ...(text(values.description) ? { description: values.description.trim() } : {}),
      });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return this.render(request, response, pilot, quarter, {
        objectiveForm: { values, errors: fieldErrorsOf(error, labels) },
      });
    }
    this.pages.redirect(response, `/app/pilots/${pilot.id}/planning?quarter=${quarter.id}&done=objective`);
  }

  @Post('pilots/:id/planning/:quarterId/key-results')
  async addKeyResult(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('quarterId') quarterId: string,
    @Body() body: Record<string, unknown>,
  ) {
    const { pilot, quarter } = await this.pilotAndQuarter(id, quarterId, true);
    const t = textsFor(languageOf(request));
    const objectiveId = str(body.objectiveId);
    const labels = {
      objectiveId: t('pilot:planning.objective'),
      title: t('pilot:planning.keyResultTitle'),
      kind: t('pilot:planning.kind'),
      measure: t('pilot:planning.measure'),
      start: t('pilot:planning.start'),
      target: t('pilot:planning.target'),
      unit: t('pilot:planning.unit'),
    };
    const values = {
      objectiveId,
      title: str(body.title),
      kind: str(body.kind),
      measure: str(body.measure),
      start: str(body.start),
      target: str(body.target),
      unit: str(body.unit),
    };
    const [start, target] = [numberField(values.start), numberField(values.target)];
    const errors: FieldError[] = [];
    if (!isUuid(objectiveId))
      errors.push({ field: 'objectiveId', message: t('pilot:planning.chooseObjective') });
    for (const [field, value] of [
      ['start', start],
      ['target', target],
    ] as const)
      if (value === 'invalid')
        errors.push({ field, message: t('pilot:planning.notANumber', { label: labels[field] }) });
    if (!errors.length)
      try {
        await this.keyResults.add(objectiveId, {
          title: values.title,
          kind: (values.kind || 'committed') as (typeof KEY_RESULT_KINDS)[number],
          measure: values.measure as (typeof KEY_RESULT_MEASURES)[number],
          ...(values.measure === 'metric'
            ? {
                start: start as number | null,
                target: target as number | null,
                unit: text(values.unit) ?? null,
              }
            : {}),
        });
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        errors.push(...fieldErrorsOf(error, labels));
      }
    if (errors.length)
      return this.render(request, response, pilot, quarter, { keyResultForm: { values, errors } });
    this.pages.redirect(
      response,
      `/app/pilots/${pilot.id}/planning?quarter=${quarter.id}&done=keyResult#o-${objectiveId}`,
    );
  }

  /** Accepts a rewording (the draft takes the wording) or an offer to own (its author owns the draft). */
  @Post('pilots/:id/planning/:quarterId/entries/:entryId/accept')
  async accept(
    @Res() response: Response,
    @Param('id') id: string,
    @Param('quarterId') quarterId: string,
    @Param('entryId') entryId: string,
  ) {
    const { pilot, quarter } = await this.pilotAndQuarter(id, quarterId, true);
    if (!isUuid(entryId)) throw new NotFoundError('planning entry');
    await this.planning.accept(entryId);
    this.pages.redirect(
      response,
      `/app/pilots/${pilot.id}/planning?quarter=${quarter.id}&done=accepted#entry-${entryId}`,
    );
  }

  @Post('pilots/:id/planning/:quarterId/entries/:entryId/resolve')
  async resolve(
    @Res() response: Response,
    @Param('id') id: string,
    @Param('quarterId') quarterId: string,
    @Param('entryId') entryId: string,
  ) {
    const { pilot, quarter } = await this.pilotAndQuarter(id, quarterId, true);
    if (!isUuid(entryId)) throw new NotFoundError('planning entry');
    await this.planning.resolve(entryId);
    this.pages.redirect(
      response,
      `/app/pilots/${pilot.id}/planning?quarter=${quarter.id}&done=resolved#entry-${entryId}`,
    );
  }

  private async render(
    request: ConsoleRequest,
    response: Response,
    pilot: PilotView,
    quarter: Quarter | null,
    options: {
      done?: string;
      objectiveForm?: { values: Record<string, string>; errors: FieldError[] };
      keyResultForm?: { values: Record<string, string>; errors: FieldError[] };
    },
  ) {
    const t = textsFor(languageOf(request));
    const view = quarter ? await this.planning.forQuarter(quarter.id) : null;
    const errors = [...(options.objectiveForm?.errors ?? []), ...(options.keyResultForm?.errors ?? [])];
    this.pages.send(
      request,
      response,
      'pilots/planning',
      'pilot:planning.title',
      {
        pilot,
        quarter,
        planning: view && pageOf(view),
        errors,
        objectiveForm: options.objectiveForm?.values ?? {},
        keyResultForm: options.keyResultForm?.values ?? { kind: 'committed', measure: 'metric' },
        kinds: KEY_RESULT_KINDS,
        measures: KEY_RESULT_MEASURES,
        flash:
          options.done && NOTICES.has(options.done) ? t(`pilot:planning.notices.${options.done}`) : undefined,
      },
      errors.length ? 422 : 200,
    );
  }

  /** The pilot, and the quarter asked for or else the next one to plan (the first upcoming). */
  private async pilotAndQuarter(
    id: string,
    quarterId: string,
    named: true,
  ): Promise<{ pilot: PilotView; quarter: Quarter }>;
  private async pilotAndQuarter(
    id: string,
    quarterId?: string,
  ): Promise<{ pilot: PilotView; quarter: Quarter | null }>;
  private async pilotAndQuarter(
    id: string,
    quarterId?: string,
  ): Promise<{ pilot: PilotView; quarter: Quarter | null }> {
    if (!isUuid(id)) throw new NotFoundError('pilot');
    const { pilot, quarters } = await this.pilots.withQuarters(id);
    if (quarterId !== undefined) {
      const quarter = quarters.find((q) => q.id === quarterId);
      if (!quarter) throw new NotFoundError('quarter');
      return { pilot, quarter };
    }
    return { pilot, quarter: quarters.find((q) => q.state === 'upcoming') ?? null };
  }
}

/** The view's drafts as the page lists them: each with its open entries first. */
function pageOf(view: PlanningView) {
  const withOpenFirst = <E extends { status: string }>(entries: E[]) => [
    ...entries.filter((e) => e.status === 'open'),
    ...entries.filter((e) => e.status !== 'open'),
  ];
  const entryView = <E extends { kind: string; status: string }>(entry: E) => ({
    ...entry,
    open: entry.status === 'open',
    acceptable: entry.status === 'open' && entry.kind !== 'comment',
  });
  return {
    ...view,
    openEntries: view.objectives.reduce(
      (n, o) =>
        n +
        o.entries.filter((e) => e.status === 'open').length +
        o.keyResults.reduce((m, k) => m + k.entries.filter((e) => e.status === 'open').length, 0),
      0,
    ),
    objectives: view.objectives.map((objective) => ({
      ...objective,
      hints: objective.hints.filter((h) => !h.keyResultId),
      entries: withOpenFirst(objective.entries).map(entryView),
      keyResults: objective.keyResults.map((kr) => ({
        ...kr,
        hints: objective.hints.filter((h) => h.keyResultId === kr.id),
        entries: withOpenFirst(kr.entries).map(entryView),
      })),
    })),
  };
}
