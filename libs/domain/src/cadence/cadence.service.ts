import { Injectable } from '@nestjs/common';
import { AUDIENCES, CadenceStep, type Rollout, STEP_ANCHORS, STEP_KINDS } from '@luotsi/database';
import { Clock } from '../common/clock';
import { InputIssue, InvalidInputError, NotFoundError } from '../common/errors';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { RolloutService } from '../organizations';
import { PilotService } from '../pilots';
import { CadenceStore } from './cadence.store';
import { CadenceStepPlan, DEFAULT_CADENCE } from './default-cadence';
import type { PlannedStep, StepPlanScope } from './step-plan';

export interface CadencePlan {
  rolloutId: string;
  /** False while the rollout follows the default plan. */
  custom: boolean;
  weeklyEmailCap: number;
  quietHours: { start: string; end: string };
  steps: CadenceStepPlan[];
}

export interface CadenceInput {
  steps?: CadenceStepPlan[];
  weeklyEmailCap?: number;
  quietHours?: { start: string; end: string };
}

const KEY = /^[a-z0-9][a-z0-9-]{0,39}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const MAX_STEPS = 60;

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
  ) {}

  async get(rolloutId: string): Promise<CadencePlan> {
    return this.planOf(await this.rollouts.get(rolloutId));
  }

  /** The plan of a rollout the caller has already read through the tenant scope. */
  async planOf(rollout: Rollout): Promise<CadencePlan> {
    return view(rollout, await this.store.stepsOf(rollout.id));
  }

  /** Saves the plan (steps replace the old ones as a whole). `templates` lists the names a step may use. */
  async update(rolloutId: string, input: CadenceInput, templates: readonly string[]): Promise<CadencePlan> {
    const issues = validate(input, templates);
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
      ? steps.map(({ key, kind, anchor, offsetDays, sendTime, template, audience }) => ({
          key,
          kind,
          anchor,
          offsetDays,
          sendTime,
          template,
          audience,
        }))
      : DEFAULT_CADENCE.map((step) => ({ ...step })),
  };
}

export function validate(input: CadenceInput, templates: readonly string[]): InputIssue[] {
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
    });
  }
  return issues;
}
