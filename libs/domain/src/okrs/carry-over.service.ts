import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Objective, Quarter } from '@luotsi/database';
import { ConflictError, InputIssue, InvalidInputError } from '../common/errors';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { PilotService } from '../pilots';
import { validateTitle } from './okr-rules';
import { OkrsStore } from './okrs.store';

export const CARRY_OVER_ACTIONS = ['keep', 'modify', 'defer', 'abandon'] as const;
export type CarryOverAction = (typeof CARRY_OVER_ACTIONS)[number];

export interface CarryOverDecision {
  objectiveId: string;
  action: CarryOverAction;
  /** The new title; `modify` only. */
  title?: string | null;
}

export interface CarryOverOutcome {
  objectiveId: string;
  action: CarryOverAction;
  /** The copy in the next quarter (keep, modify); null for defer and abandon. */
  carriedObjectiveId: string | null;
  /** False when an earlier carry-over already did this. */
  changed: boolean;
}

export interface CarryOverResult {
  fromQuarterId: string;
  toQuarterId: string;
  outcomes: CarryOverOutcome[];
}

const ENDED = ['graduated', 'stopped'];

/**
 * Carries a quarter's objectives into the pilot's next quarter, one decision per objective: `keep`
 * copies it with its key results (values back at the start, no confidence, no scores), `modify` does
 * the same under a new title, `defer` and `abandon` copy nothing and are recorded in the audit log.
 * A copy points back through `carried_from_id`, which makes a second run change nothing.
 */
@Injectable()
export class CarryOverService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: OkrsStore,
    private readonly audit: AuditLog,
    private readonly pilots: PilotService,
  ) {}

  async carryOver(quarterId: string, decisions: CarryOverDecision[]): Promise<CarryOverResult> {
    await this.pilots.quarter(quarterId);
    return this.tenancy.transaction(async (manager) => {
      const source = await this.pilots.quarter(quarterId, manager);
      const next = await this.pilots.quarterAfter(source, manager);
      if (!next)
        throw new ConflictError(`The pilot has no quarter after ${source.label} to carry objectives into.`, {
          quarterNumber: source.number,
        });
      const target = await this.pilots.quarterForUpdate(next.id, manager);
      if (target.state === 'closed')
        throw new ConflictError(
          `The next quarter ${target.label} is closed; nothing can be carried into it.`,
          {
            quarterState: target.state,
          },
        );
      const pilot = await this.pilots.pilot(source.pilotId, manager);
      if (ENDED.includes(pilot.state))
        throw new ConflictError(`The pilot is ${pilot.state}; its OKRs can no longer change.`, {
          pilotState: pilot.state,
        });

      const sources = await this.store.objectivesOf(source.id, manager, true);
      const existing = await this.store.objectivesOf(target.id, manager);
      const copies = new Map(
        existing.filter((o) => o.carriedFromId).map((o) => [o.carriedFromId!, o] as const),
      );
      this.validate(source, sources, existing, copies, decisions);

      const decided = new Map(decisions.map((d) => [d.objectiveId.toLowerCase(), d]));
      let position = existing.reduce((max, o) => Math.max(max, o.position + 1), 0);
      const outcomes: CarryOverOutcome[] = [];
      for (const original of sources) {
        const decision = decided.get(original.id)!;
        const { action } = decision;
        if (action === 'defer' || action === 'abandon') {
          const audited = action === 'defer' ? 'objective.deferred' : 'objective.abandoned';
          const changed = !(await this.recorded(manager, original.id, audited, target.id));
          if (changed)
            await this.audit.record(
              {
                action: audited,
                entityType: 'objective',
                entityId: original.id,
                details: { fromQuarterId: source.id, toQuarterId: target.id, title: original.title },
              },
              manager,
            );
          outcomes.push({ objectiveId: original.id, action, carriedObjectiveId: null, changed });
          continue;
        }
        const copied = copies.get(original.id);
        if (copied) {
          outcomes.push({ objectiveId: original.id, action, carriedObjectiveId: copied.id, changed: false });
          continue;
        }
        const title = action === 'modify' ? decision.title!.trim() : original.title;
        const copy = await this.store.createObjective(
          {
            quarterId: target.id,
            pilotId: target.pilotId,
            organizationId: target.organizationId,
            title,
            description: original.description,
            ownerId: original.ownerId,
            level: original.level,
            position: position++,
            carriedFromId: original.id,
            finalScore: null,
          },
          manager,
        );
        const krs = await this.store.keyResultsOf(original.id, manager, true);
        for (const kr of krs) {
          // Back at the start: a metric's current value is empty (progress counts it as the start value).
          await this.store.createKeyResult(
            {
              objectiveId: copy.id,
              quarterId: target.id,
              pilotId: target.pilotId,
              organizationId: target.organizationId,
              title: kr.title,
              kind: kr.kind,
              measure: kr.measure,
              startValue: kr.startValue,
              targetValue: kr.targetValue,
              unit: kr.unit,
              currentValue: null,
              done: false,
              ownerId: kr.ownerId,
              confidence: null,
              recordedAt: null,
              finalScore: null,
              scoredAt: null,
              position: kr.position,
            },
            manager,
          );
        }
        await this.audit.record(
          {
            action: 'objective.carried_over',
            entityType: 'objective',
            entityId: copy.id,
            details: {
              action,
              carriedFromId: original.id,
              fromQuarterId: source.id,
              toQuarterId: target.id,
              title,
              keyResults: krs.length,
            },
          },
          manager,
        );
        outcomes.push({ objectiveId: original.id, action, carriedObjectiveId: copy.id, changed: true });
      }
      return { fromQuarterId: source.id, toQuarterId: target.id, outcomes };
    });
  }

  /** Every objective exactly once, nothing else; a title for `modify` only; no clash in the next quarter. */
  private validate(
    source: Quarter,
    sources: Objective[],
    existing: Objective[],
    copies: Map<string, Objective>,
    decisions: CarryOverDecision[],
  ): void {
    const issues: InputIssue[] = [];
    const known = new Set(sources.map((o) => o.id));
    const seen = new Set<string>();
    const titles = new Map(existing.map((o) => [o.title, 'an objective of the next quarter has this title']));
    decisions.forEach((decision, i) => {
      const id = decision.objectiveId.toLowerCase();
      if (!known.has(id)) {
        issues.push({
          field: `decisions[${i}].objectiveId`,
          reason: `${decision.objectiveId} is not an objective of ${source.label}`,
        });
      } else if (seen.has(id)) {
        issues.push({ field: `decisions[${i}].objectiveId`, reason: `duplicate decision for ${id}` });
      }
      seen.add(id);
      if (decision.action === 'modify') {
        const titleIssues = validateTitle(decision.title, `decisions[${i}].title`);
        issues.push(...titleIssues);
        if (!titleIssues.length && known.has(id) && !copies.has(id)) {
          const title = decision.title!.trim();
          const clash = titles.get(title);
          if (clash) issues.push({ field: `decisions[${i}].title`, reason: clash });
          titles.set(title, 'another decision carries an objective under this title');
        }
      } else {
        if (decision.title !== undefined && decision.title !== null)
          issues.push({ field: `decisions[${i}].title`, reason: 'only a modify decision takes a title' });
        const original = sources.find((o) => o.id === id);
        if (decision.action === 'keep' && original && !copies.has(id)) {
          const clash = titles.get(original.title);
          if (clash) issues.push({ field: `decisions[${i}].objectiveId`, reason: clash });
          titles.set(original.title, 'another decision carries an objective under this title');
        }
      }
    });
    for (const id of known)
      if (!seen.has(id)) issues.push({ field: 'decisions', reason: `no decision for objective ${id}` });
    if (issues.length)
      throw new InvalidInputError(
        'Every objective of the quarter needs exactly one decision; nothing was carried over.',
        issues,
      );
  }

  /** Whether this decision for this objective and quarter is already in the audit log. */
  private recorded(
    manager: EntityManager,
    objectiveId: string,
    action: string,
    toQuarterId: string,
  ): Promise<boolean> {
    return this.audit.has(
      { entityType: 'objective', entityId: objectiveId, action, details: { toQuarterId } },
      manager,
    );
  }
}
