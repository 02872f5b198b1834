import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ANONYMITY_MODES, LEVELS, LOCALES, type Locale } from '@luotsi/database';
import {
  CadenceService,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  ParticipantService,
  PilotService,
  QuestionSetService,
  StepPreviewService,
  type CadenceStepPlan,
  type PilotCadencePlan,
  type PilotView,
} from '@luotsi/domain';
import { TEMPLATE_NAMES } from '@luotsi/mail';
import { textsFor } from '@luotsi/texts';
import { UpdatePilotCadenceDto } from '../../cadence/cadence.dto';
import { Roles } from '../../common/auth';
import { Id, isUuid } from '../../common/params';
import { ConsolePages } from '../console-pages';
import { checkForm, str, type FieldError } from '../form';
import { languageOf, type ConsoleRequest } from '../page-context';

/** The steps that mail the pilot, whose audience the coach chooses; the others mail the coach or sponsors. */
const AUDIENCE_KINDS: readonly string[] = ['prompt', 'checkin_request', 'retrospective_close'];
const PILOT_AUDIENCES = ['participants', 'owners', 'level', 'non_responders'] as const;
/** The retrospective a step opens when the coach has not chosen one (the API's default). */
const DEFAULT_RETROSPECTIVE = {
  questionSetId: 'builtin:end-of-quarter',
  anonymity: 'anonymous',
  minGroupSize: 5,
};
/** Notices a redirect back to the plan may ask for (`?done=`). */
const NOTICES = new Set(['own', 'inherited', 'saved']);
const PEOPLE_IN_PREVIEW = 200;

/** The form's fields of one step, as posted and as shown again. */
type StepForm = Record<string, string>;

/** A field of the API's plan (`steps[3].texts.fi.body`, `steps.3.retrospective.minGroupSize`) as the form names it. */
export function formFieldOf(path: string): string {
  const rest = path.replace(/^steps(\[\d+\]|\.\d+)\.?/, '');
  const text = /^texts\.(fi|sv|en)\.(subject|body)$/.exec(rest);
  if (text) return `${text[1]}${text[2] === 'subject' ? 'Subject' : 'Body'}`;
  if (/^texts\.(fi|sv|en)$/.test(rest)) return `${rest.slice(6)}Subject`;
  if (rest.startsWith('retrospective.')) return rest.slice('retrospective.'.length);
  return rest || 'steps';
}

/**
 * A pilot's own cadence in the console: whether it follows its rollout's plan or has one of its own,
 * switching either way, each step of its own plan edited (day, time, audience, the retrospective it
 * opens, its own text per language) with the API's checks, and a step previewed for one participant.
 */
@ApiExcludeController()
@Roles('owner', 'coach')
@Controller('app/pilots')
export class PilotCadencePagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly pilots: PilotService,
    private readonly cadence: CadenceService,
    private readonly questionSets: QuestionSetService,
    private readonly participants: ParticipantService,
    private readonly previews: StepPreviewService,
  ) {}

  @Get(':id/cadence')
  async show(
    @Param('id', Id('pilot')) id: string,
    @Query('done') done: string | undefined,
    @Query('step') stepKey: string | undefined,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const pilot = await this.pilots.get(id);
    const plan = await this.cadence.pilotPlan(pilot.id);
    const sets = await this.questionSets.list();
    const t = textsFor(languageOf(request));
    const setName = (ref: string) => sets.find((s) => s.id === ref)?.name ?? ref;
    this.pages.send(request, response, 'cadence/pilot', 'cadence:pilot.title', {
      pilot,
      plan,
      steps: plan.steps.map((step) => ({
        ...step,
        offset: step.offsetDays < 0 ? `\u2212${-step.offsetDays}` : `+${step.offsetDays}`,
        textLanguages: LOCALES.filter((locale) => step.texts?.[locale]),
        retrospectiveView:
          step.kind === 'retrospective_open'
            ? {
                ...(step.retrospective ?? DEFAULT_RETROSPECTIVE),
                setName: setName((step.retrospective ?? DEFAULT_RETROSPECTIVE).questionSetId),
              }
            : null,
      })),
      flash:
        done && NOTICES.has(done)
          ? t(`cadence:pilot.notices.${done}`, {
              key: plan.steps.some((s) => s.key === stepKey) ? stepKey : '',
            })
          : undefined,
    });
  }

  /** The pilot gets a plan of its own, starting as a copy of its rollout's. */
  @Post(':id/cadence/own')
  async own(@Param('id', Id('pilot')) id: string, @Res() response: Response) {
    const pilot = await this.pilots.get(id);
    const plan = await this.cadence.pilotPlan(pilot.id);
    if (plan.inherited) await this.cadence.updatePilot(pilot.id, { steps: plan.steps }, await this.choices());
    this.pages.redirect(response, `/app/pilots/${pilot.id}/cadence?done=own`);
  }

  /** Check your answers: the pilot's own steps and texts are gone once it follows its rollout again. */
  @Get(':id/cadence/inherit')
  async inheritPage(
    @Param('id', Id('pilot')) id: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const pilot = await this.pilots.get(id);
    const plan = await this.cadence.pilotPlan(pilot.id);
    if (plan.inherited) return this.pages.redirect(response, `/app/pilots/${pilot.id}/cadence`);
    this.pages.send(request, response, 'cadence/pilot-inherit', 'cadence:pilot.inheritTitle', {
      pilot,
      steps: plan.steps.length,
    });
  }

  @Post(':id/cadence/inherit')
  async inherit(@Param('id', Id('pilot')) id: string, @Res() response: Response) {
    const pilot = await this.pilots.get(id);
    await this.cadence.resetPilot(pilot.id);
    this.pages.redirect(response, `/app/pilots/${pilot.id}/cadence?done=inherited`);
  }

  @Get(':id/cadence/:stepKey/edit')
  async editForm(
    @Param('id', Id('pilot')) id: string,
    @Param('stepKey') stepKey: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const { pilot, plan, step } = await this.step(id, stepKey);
    if (plan.inherited) return this.pages.redirect(response, `/app/pilots/${pilot.id}/cadence`);
    const retrospective = step.retrospective ?? DEFAULT_RETROSPECTIVE;
    const values: StepForm = {
      offsetDays: String(step.offsetDays),
      sendTime: step.sendTime,
      audience: step.audience,
      audienceLevel: step.audienceLevel ?? '',
      questionSetId: retrospective.questionSetId,
      anonymity: retrospective.anonymity,
      minGroupSize: String(retrospective.minGroupSize),
    };
    for (const locale of LOCALES) {
      values[`${locale}Subject`] = step.texts?.[locale]?.subject ?? '';
      values[`${locale}Body`] = step.texts?.[locale]?.body ?? '';
    }
    await this.sendEdit(request, response, pilot, step, values);
  }

  /** Saves one step of the pilot's own plan: the whole plan through the API's checks, nothing changed on error. */
  @Post(':id/cadence/:stepKey/edit')
  async edit(
    @Param('id', Id('pilot')) id: string,
    @Param('stepKey') stepKey: string,
    @Body() body: Record<string, unknown>,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const { pilot, plan, step } = await this.step(id, stepKey);
    if (plan.inherited)
      throw new ConflictError("The pilot follows its rollout's plan; give it its own plan first.");
    const language = languageOf(request);
    const t = textsFor(language);
    const choosable = AUDIENCE_KINDS.includes(step.kind);
    const opensRun = step.kind === 'retrospective_open';
    const values: StepForm = {
      offsetDays: str(body.offsetDays).trim().replace('\u2212', '-'),
      sendTime: str(body.sendTime).trim(),
      audience: choosable ? str(body.audience) : step.audience,
      audienceLevel: '',
      questionSetId: str(body.questionSetId),
      anonymity: str(body.anonymity),
      minGroupSize: str(body.minGroupSize).trim(),
    };
    values.audienceLevel = values.audience === 'level' ? str(body.audienceLevel) : '';
    const errors: FieldError[] = [];
    const texts: Partial<Record<Locale, { subject: string; body: string }>> = {};
    for (const locale of LOCALES) {
      const subject = str(body[`${locale}Subject`]);
      const text = str(body[`${locale}Body`]);
      values[`${locale}Subject`] = subject;
      values[`${locale}Body`] = text;
      if (!subject.trim() && !text.trim()) continue;
      // A language's text is whole or absent: a subject without a body (or the reverse) is a mistake.
      for (const [field, value] of [
        [`${locale}Subject`, subject],
        [`${locale}Body`, text],
      ] as const)
        if (!value.trim())
          errors.push({
            field,
            message: t('common:validation.isNotEmpty', { label: this.labels(t)[field] }),
          });
      texts[locale] = { subject, body: text };
    }
    const number = (raw: string) => (/^-?\d+$/.test(raw) ? Number(raw) : raw);
    const changed: CadenceStepPlan = {
      ...step,
      offsetDays: number(values.offsetDays) as number,
      sendTime: values.sendTime,
      audience: values.audience as CadenceStepPlan['audience'],
      audienceLevel:
        values.audience === 'level'
          ? ((values.audienceLevel || null) as CadenceStepPlan['audienceLevel'])
          : null,
      texts: Object.keys(texts).length ? texts : null,
      retrospective: opensRun
        ? ({
            questionSetId: values.questionSetId,
            anonymity: values.anonymity,
            minGroupSize: number(values.minGroupSize),
          } as CadenceStepPlan['retrospective'])
        : step.retrospective,
    };
    const fail = (found: FieldError[]) => this.sendEdit(request, response, pilot, step, values, found, 422);
    const at = plan.steps.indexOf(step);
    const steps = plan.steps.map((s, i) => (i === at ? changed : s));
    const labels = this.labels(t);
    const form = await checkForm(
      UpdatePilotCadenceDto,
      { steps },
      language,
      Object.fromEntries(Object.entries(labels).map(([field, label]) => [this.apiField(at, field), label])),
    );
    // Every problem at once: the form's own (a text without its subject or body) and the API's checks.
    if (!form.value || errors.length)
      return fail([
        ...(form.value ? [] : form.errors).map((error) => {
          const field = formFieldOf(error.field);
          // Not a number at all: say so, whichever of the number's rules the validator named first.
          return (field === 'offsetDays' || field === 'minGroupSize') && !/^-?\d+$/.test(values[field])
            ? { field, message: t('common:validation.isInt', { label: labels[field] }) }
            : { ...error, field };
        }),
        ...errors,
      ]);
    try {
      await this.cadence.updatePilot(pilot.id, { steps: form.value.steps }, await this.choices());
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return fail(
        error.issues.map((issue) => {
          const field = formFieldOf(issue.field);
          return { field, message: `${labels[field] ?? field}: ${issue.reason}` };
        }),
      );
    }
    this.pages.redirect(
      response,
      `/app/pilots/${pilot.id}/cadence?done=saved&step=${step.key}#step-${step.key}`,
    );
  }

  /** A step's mail as one chosen participant gets it: their language, and the text that applies to them. */
  @Get(':id/cadence/:stepKey/preview')
  async preview(
    @Param('id', Id('pilot')) id: string,
    @Param('stepKey') stepKey: string,
    @Query('participant') participantId: string | undefined,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const { pilot, step } = await this.step(id, stepKey);
    const people = await this.participants.listForPilot(pilot.id, { limit: PEOPLE_IN_PREVIEW, offset: 0 });
    const chosen = participantId && isUuid(participantId) ? participantId : people.items[0]?.id;
    let mail: Awaited<ReturnType<StepPreviewService['preview']>> | null = null;
    let noQuarter = false;
    if (chosen) {
      try {
        mail = await this.previews.preview(pilot.id, step.key, chosen);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        noQuarter = true;
      }
    }
    this.pages.send(request, response, 'cadence/pilot-preview', 'cadence:pilotPreview.title', {
      pilot,
      step,
      mail,
      noQuarter,
      people: people.items.map((p) => ({
        id: p.id,
        name: p.name,
        email: p.email,
        selected: p.id === chosen,
      })),
      chosen: people.items.find((p) => p.id === chosen) ?? null,
    });
  }

  private labels(t: ReturnType<typeof textsFor>): Record<string, string> {
    const labels: Record<string, string> = {
      offsetDays: t('cadence:edit.offsetDays'),
      sendTime: t('cadence:edit.sendTime'),
      audience: t('cadence:edit.audience'),
      audienceLevel: t('cadence:edit.audienceLevel'),
      questionSetId: t('cadence:pilotEdit.questionSet'),
      anonymity: t('cadence:pilotEdit.anonymity'),
      minGroupSize: t('cadence:pilotEdit.minGroupSize'),
    };
    for (const locale of LOCALES) {
      const languageName = t(`common:languages.${locale}`);
      labels[`${locale}Subject`] = t('cadence:pilotEdit.subject', { language: languageName });
      labels[`${locale}Body`] = t('cadence:pilotEdit.body', { language: languageName });
    }
    return labels;
  }

  /** The DTO's path of a form field of step `at` (as `checkForm` names it). */
  private apiField(at: number, field: string): string {
    const text = /^(fi|sv|en)(Subject|Body)$/.exec(field);
    if (text) return `steps.${at}.texts.${text[1]}.${text[2].toLowerCase()}`;
    if (['questionSetId', 'anonymity', 'minGroupSize'].includes(field))
      return `steps.${at}.retrospective.${field}`;
    return `steps.${at}.${field}`;
  }

  private async sendEdit(
    request: ConsoleRequest,
    response: Response,
    pilot: PilotView,
    step: CadenceStepPlan,
    values: StepForm,
    errors: FieldError[] = [],
    status = 200,
  ) {
    const opensRun = step.kind === 'retrospective_open';
    const sets = opensRun ? await this.questionSets.list() : [];
    const t = textsFor(languageOf(request));
    this.pages.send(
      request,
      response,
      'cadence/pilot-edit',
      'cadence:edit.title',
      {
        pilot,
        step,
        values,
        errors,
        audiences: AUDIENCE_KINDS.includes(step.kind)
          ? PILOT_AUDIENCES.map((key) => ({ key, checked: values.audience === key }))
          : null,
        levels: AUDIENCE_KINDS.includes(step.kind)
          ? LEVELS.map((key) => ({ key, selected: values.audienceLevel === key }))
          : null,
        retrospective: opensRun
          ? {
              sets: sets.map((s) => ({ id: s.id, name: s.name, selected: s.id === values.questionSetId })),
              modes: ANONYMITY_MODES.map((key) => ({ key, checked: values.anonymity === key })),
            }
          : null,
        languages: LOCALES.map((locale) => ({
          locale,
          name: t(`common:languages.${locale}`),
          subjectField: `${locale}Subject`,
          bodyField: `${locale}Body`,
          subject: values[`${locale}Subject`],
          body: values[`${locale}Body`],
          open:
            !!(values[`${locale}Subject`] || values[`${locale}Body`]) ||
            errors.some((e) => e.field.startsWith(locale)),
        })),
      },
      status,
    );
  }

  private async choices() {
    const questionSets = (await this.questionSets.list()).map((set) => set.id);
    return { templates: TEMPLATE_NAMES, questionSets };
  }

  private async step(id: string, stepKey: string) {
    const pilot = await this.pilots.get(id);
    const plan: PilotCadencePlan = await this.cadence.pilotPlan(pilot.id);
    const step = plan.steps.find((s) => s.key === stepKey);
    if (!step) throw new NotFoundError('cadence step');
    return { pilot, plan, step };
  }
}
