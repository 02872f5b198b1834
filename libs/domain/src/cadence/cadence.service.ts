import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  ANONYMITY_MODES,
  AUDIENCES,
  CadenceStep,
  LEVELS,
  LOCALES,
  type Rollout,
  STEP_ANCHORS,
  STEP_KINDS,
  type StepKind,
} from '@luotsi/database';
import {
  isTemplateName,
  MailRenderer,
  TEMPLATE_SAMPLES,
  type TemplateContent,
  validateTemplate,
} from '@luotsi/mail';
import { Clock } from '../common/clock';
import { InputIssue, InvalidInputError, NotFoundError } from '../common/errors';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { RolloutService } from '../organizations';
import { PilotService } from '../pilots';
import { CadenceStore } from './cadence.store';
import { CadenceStepPlan, DEFAULT_CADENCE, StepTexts } from './default-cadence';
import type { PlannedStep, StepPlanScope } from './step-plan';

export interface CadencePlan {
  rolloutId: string;
  /** False while the rollout follows the default plan. */
  custom: boolean;
  weeklyEmailCap: number;
  quietHours: { start: string; end: string };
  steps: CadenceStepPlan[];
}

/** A pilot's plan: its own, or (`inherited`) its rollout's as it stands. */
export interface PilotCadencePlan extends CadencePlan {
  pilotId: string;
  /** True while the pilot follows its rollout's plan. */
  inherited: boolean;
}

export interface CadenceInput {
  steps?: CadenceStepPlan[];
  weeklyEmailCap?: number;
  quietHours?: { start: string; end: string };
}

/** What a plan's steps may name: the templates, and the question sets of the workspace (with the built-in). */
export interface CadenceChoices {
  templates: readonly string[];
  questionSets?: readonly string[];
}

const KEY = /^[a-z0-9][a-z0-9-]{0,39}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const MAX_STEPS = 60;
/** The publication policy's floor for k (DESIGN: never below 3). */
const MIN_GROUP_SIZE_FLOOR = 3;
const MIN_GROUP_SIZE_MAX = 100;
/** Audiences that pick participants by who they are or what they did: for the kinds that mail the pilot. */
const CHOSEN_AUDIENCES = ['level', 'non_responders'];
const MAILING_KINDS: readonly StepKind[] = ['prompt', 'checkin_request', 'retrospective_close'];

/** A rollout's cadence plan: the default until a coach saves one of its own. */
@Injectable()
export class CadenceService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: CadenceStore,
    private readonly rollouts: RolloutService,
    private readonly audit: AuditLog,
    private readonly pilots: PilotService,
    private readonly clock: Clock,
    private readonly renderer: MailRenderer,
  ) {}

  async get(rolloutId: string): Promise<CadencePlan> {
    return this.planOf(await this.rollouts.get(rolloutId));
  }

  /** The plan of a rollout the caller has already read through the tenant scope. */
  async planOf(rollout: Rollout): Promise<CadencePlan> {
    return view(rollout, await this.store.stepsOf(rollout.id));
  }

  /** Saves the plan (steps replace the old ones as a whole). `choices` lists what a step may name. */
  async update(
    rolloutId: string,
    input: CadenceInput,
    choices: CadenceChoices | readonly string[],
  ): Promise<CadencePlan> {
    const issues = this.check(input, choices);
    if (issues.length)
      throw new InvalidInputError('The cadence plan is invalid; nothing was changed.', issues);
    return this.tenancy.transaction(async (manager) => {
      const rollout = await this.rollouts.getForUpdate(rolloutId, manager);
      if (input.weeklyEmailCap !== undefined) rollout.weeklyEmailCap = input.weeklyEmailCap;
      if (input.quietHours) {
        rollout.quietHoursStart = input.quietHours.start;
        rollout.quietHoursEnd = input.quietHours.end;
      }
      await this.rollouts.saveCadenceLimits(rollout, manager);
      if (input.steps) await this.store.replaceSteps(rollout, input.steps, manager);
      await this.audit.record(
        { action: 'cadence.updated', entityType: 'rollout', entityId: rolloutId, details: { ...input } },
        manager,
      );
      const steps = await this.store.stepsOf(rolloutId, manager);
      return view(rollout, steps);
    });
  }

  /** Back to the default plan (the cap and quiet hours stay). */
  async reset(rolloutId: string): Promise<CadencePlan> {
    return this.tenancy.transaction(async (manager) => {
      const rollout = await this.rollouts.getForUpdate(rolloutId, manager);
      await this.store.deleteSteps(rollout, manager);
      await this.audit.record(
        { action: 'cadence.reset', entityType: 'rollout', entityId: rolloutId },
        manager,
      );
      return view(rollout, []);
    });
  }

  /** The pilot's plan: its own steps, else its rollout's plan (`inherited`). */
  async pilotPlan(pilotId: string): Promise<PilotCadencePlan> {
    const pilot = await this.pilots.pilot(pilotId);
    const rollout = await this.rollouts.get(pilot.rolloutId);
    return this.pilotView(pilot.id, rollout, await this.store.pilotStepsOf(pilot.id));
  }

  /** Gives the pilot a plan of its own (its steps replace any it had); the rollout's limits apply. */
  async updatePilot(
    pilotId: string,
    input: { steps: CadenceStepPlan[] },
    choices: CadenceChoices,
  ): Promise<PilotCadencePlan> {
    const issues = this.check({ steps: input.steps }, choices);
    if (Array.isArray(input.steps) && !input.steps.length)
      issues.push({ field: 'steps', reason: "at least one step (DELETE to follow the rollout's plan)" });
    if (issues.length)
      throw new InvalidInputError("The pilot's cadence plan is invalid; nothing was changed.", issues);
    return this.tenancy.transaction(async (manager) => {
      const pilot = await this.pilots.pilot(pilotId, manager);
      const rollout = await this.rollouts.getForUpdate(pilot.rolloutId, manager);
      await this.store.replaceSteps(rollout, input.steps, manager, pilot);
      await this.audit.record(
        { action: 'cadence.updated', entityType: 'pilot', entityId: pilot.id, details: { ...input } },
        manager,
      );
      return this.pilotView(pilot.id, rollout, await this.store.pilotStepsOf(pilot.id, manager));
    });
  }

  /** The pilot follows its rollout's plan again. */
  async resetPilot(pilotId: string): Promise<PilotCadencePlan> {
    return this.tenancy.transaction(async (manager) => {
      const pilot = await this.pilots.pilot(pilotId, manager);
      const rollout = await this.rollouts.getForUpdate(pilot.rolloutId, manager);
      await this.store.deletePilotSteps(pilot, manager);
      await this.audit.record({ action: 'cadence.reset', entityType: 'pilot', entityId: pilot.id }, manager);
      return this.pilotView(pilot.id, rollout, []);
    });
  }

  /**
   * Seeds a pilot with another's own plan (steps with their audiences and texts, and the retrospective
   * each opens), replacing the target's; does nothing when the source follows its rollout's plan. Both
   * pilots are read in the actor's workspace; runs in the caller's transaction.
   */
  async copyPilotCadence(fromPilotId: string, toPilotId: string, manager: EntityManager): Promise<number> {
    await this.pilots.pilot(fromPilotId, manager);
    await this.pilots.pilot(toPilotId, manager);
    const copied = await this.store.copyPilotSteps(fromPilotId, toPilotId, manager);
    if (copied)
      await this.audit.record(
        {
          action: 'cadence.updated',
          entityType: 'pilot',
          entityId: toPilotId,
          details: { copiedFrom: fromPilotId, steps: copied },
        },
        manager,
      );
    return copied;
  }

  private async pilotView(pilotId: string, rollout: Rollout, own: CadenceStep[]): Promise<PilotCadencePlan> {
    const plan = own.length ? view(rollout, own) : await this.planOf(rollout);
    return { pilotId, inherited: !own.length, ...plan, custom: own.length > 0 || plan.custom };
  }

  /** Every issue of the input at once; a step's own texts are also rendered with sample data. */
  private check(input: CadenceInput, choices: CadenceChoices | readonly string[]): InputIssue[] {
    const allowed = 'templates' in choices ? choices : { templates: choices as readonly string[] };
    const issues = validate(input, allowed);
    input.steps?.forEach((step, i) => {
      if (!step.texts || !isTemplateName(step.template)) return;
      for (const [locale, content] of Object.entries(step.texts)) {
        if (content === undefined) continue;
        if (issues.some((issue) => issue.field.startsWith(`steps[${i}].texts.${locale}`))) continue;
        try {
          this.renderer.render(
            step.template,
            locale as (typeof LOCALES)[number],
            TEMPLATE_SAMPLES[step.template] as unknown as Record<string, unknown>,
            content as TemplateContent,
          );
        } catch (error) {
          issues.push({ field: `steps[${i}].texts.${locale}.body`, reason: (error as Error).message });
        }
      }
    });
    return issues;
  }

  /**
   * The steps not yet dispatched of the active quarters of running pilots, each with its day (the
   * scheduler's reading of the plan, for the portfolio's next sends). Ordered by day and key.
   */
  plannedSteps(scope: StepPlanScope): Promise<PlannedStep[]> {
    return this.store.plannedSteps(scope);
  }

  /**
   * Every step of the rollout's plan in one of its pilots' quarters, each with the day and instant the
   * scheduler gives it (the same reading of the plan), whether sent already or not. Ordered by day and key.
   */
  async quarterCalendar(rolloutId: string, quarterId: string): Promise<PlannedStep[]> {
    await this.rollouts.get(rolloutId);
    const quarter = await this.pilots.quarter(quarterId);
    const pilot = await this.pilots.pilot(quarter.pilotId);
    if (pilot.rolloutId !== rolloutId) throw new NotFoundError('quarter');
    return this.store.plannedSteps({
      now: this.clock.now(),
      workspaceId: this.tenancy.actor.workspaceId,
      quarterIds: [quarter.id],
      wholePlan: true,
    });
  }
}

function view(rollout: Rollout, steps: CadenceStep[]): CadencePlan {
  return {
    rolloutId: rollout.id,
    custom: steps.length > 0,
    weeklyEmailCap: rollout.weeklyEmailCap,
    quietHours: { start: rollout.quietHoursStart, end: rollout.quietHoursEnd },
    steps: steps.length
      ? steps.map((step) => ({
          key: step.key,
          kind: step.kind,
          anchor: step.anchor,
          offsetDays: step.offsetDays,
          sendTime: step.sendTime,
          template: step.template,
          audience: step.audience,
          audienceLevel: step.audienceLevel,
          // Left out when the step has none, so a plan read can be sent back as it is.
          ...(step.texts ? { texts: step.texts } : {}),
          ...(step.questionSetRef && step.anonymity && step.minGroupSize
            ? {
                retrospective: {
                  questionSetId: step.questionSetRef,
                  anonymity: step.anonymity,
                  minGroupSize: step.minGroupSize,
                },
              }
            : {}),
        }))
      : DEFAULT_CADENCE.map((step) => ({ ...step, audienceLevel: null })),
  };
}

/**
 * Every issue of a plan at once. A step's own texts are checked like a template override (syntax,
 * variables, escaping) against the step's template; rendering them is left to the service.
 */
export function validate(input: CadenceInput, choices: CadenceChoices): InputIssue[] {
  const { templates, questionSets = [] } = choices;
  const issues: InputIssue[] = [];
  if (
    input.weeklyEmailCap !== undefined &&
    !(Number.isInteger(input.weeklyEmailCap) && input.weeklyEmailCap >= 1 && input.weeklyEmailCap <= 50)
  ) {
    issues.push({ field: 'weeklyEmailCap', reason: 'must be a whole number from 1 to 50' });
  }
  if (input.quietHours) {
    for (const side of ['start', 'end'] as const) {
      if (!TIME.test(input.quietHours[side] ?? ''))
        issues.push({ field: `quietHours.${side}`, reason: 'must be a time HH:MM' });
    }
  }
  if (input.steps) {
    if (input.steps.length > MAX_STEPS) issues.push({ field: 'steps', reason: `at most ${MAX_STEPS} steps` });
    const seen = new Set<string>();
    input.steps.forEach((step, i) => {
      const at = (field: string, reason: string) => issues.push({ field: `steps[${i}].${field}`, reason });
      if (!KEY.test(step.key ?? '')) at('key', 'lower-case letters, digits and -, at most 40 characters');
      else if (seen.has(step.key)) at('key', `"${step.key}" is used by another step`);
      seen.add(step.key);
      if (!STEP_KINDS.includes(step.kind)) at('kind', `one of ${STEP_KINDS.join(', ')}`);
      if (!STEP_ANCHORS.includes(step.anchor)) at('anchor', `one of ${STEP_ANCHORS.join(', ')}`);
      if (!Number.isInteger(step.offsetDays) || step.offsetDays < -92 || step.offsetDays > 120)
        at('offsetDays', 'a whole number of days from -92 to 120');
      if (!TIME.test(step.sendTime ?? '')) at('sendTime', 'a local time HH:MM');
      if (!templates.includes(step.template)) at('template', `unknown template "${step.template}"`);
      if (!AUDIENCES.includes(step.audience)) at('audience', `one of ${AUDIENCES.join(', ')}`);
      else if (CHOSEN_AUDIENCES.includes(step.audience) && !MAILING_KINDS.includes(step.kind))
        at('audience', `"${step.audience}" suits only steps of kind ${MAILING_KINDS.join(', ')}`);
      if (step.audience === 'level') {
        if (!LEVELS.includes(step.audienceLevel!)) at('audienceLevel', `one of ${LEVELS.join(', ')}`);
      } else if (step.audienceLevel != null) at('audienceLevel', 'only for the audience "level"');
      if (step.texts != null) textIssues(step.template, step.texts, templates).forEach(([f, r]) => at(f, r));
      if (step.retrospective != null) {
        const choice = step.retrospective;
        if (step.kind !== 'retrospective_open') at('retrospective', 'only on a retrospective_open step');
        else if (typeof choice !== 'object') at('retrospective', 'must be an object');
        else {
          if (!questionSets.includes(choice.questionSetId))
            at('retrospective.questionSetId', `unknown question set "${choice.questionSetId}"`);
          if (!ANONYMITY_MODES.includes(choice.anonymity))
            at('retrospective.anonymity', `one of ${ANONYMITY_MODES.join(', ')}`);
          if (
            !Number.isInteger(choice.minGroupSize) ||
            choice.minGroupSize < MIN_GROUP_SIZE_FLOOR ||
            choice.minGroupSize > MIN_GROUP_SIZE_MAX
          )
            at(
              'retrospective.minGroupSize',
              `a whole number from ${MIN_GROUP_SIZE_FLOOR} to ${MIN_GROUP_SIZE_MAX}`,
            );
        }
      }
    });
  }
  return issues;
}

/** The issues of a step's own texts as [field, reason]: at least one language, each valid for the template. */
function textIssues(template: string, texts: StepTexts, templates: readonly string[]): [string, string][] {
  if (typeof texts !== 'object' || Array.isArray(texts)) return [['texts', 'must be an object by language']];
  // A language left out may come as an undefined property (a DTO's optional field).
  const locales = Object.keys(texts).filter((locale) => texts[locale as keyof StepTexts] !== undefined);
  if (!locales.length) return [['texts', `at least one of ${LOCALES.join(', ')}`]];
  const issues: [string, string][] = [];
  for (const locale of locales) {
    if (!(LOCALES as readonly string[]).includes(locale)) {
      issues.push([`texts.${locale}`, `not a language; one of ${LOCALES.join(', ')}`]);
      continue;
    }
    const content = texts[locale as keyof StepTexts];
    if (!content || typeof content !== 'object') {
      issues.push([`texts.${locale}`, 'must be { subject, body }']);
      continue;
    }
    // An unknown template is reported on `template` already.
    if (!templates.includes(template) || !isTemplateName(template)) continue;
    for (const issue of validateTemplate(template, content))
      issues.push([`texts.${locale}.${issue.field}`, issue.reason]);
  }
  return issues;
}
