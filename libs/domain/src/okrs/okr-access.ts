import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { KeyResult, Objective, Pilot, Quarter } from '@luotsi/database';
import { PilotService } from '../pilots';
import { ConflictError, InputIssue } from '../common/errors';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { qualityHints } from './okr-rules';
import { KeyResultResult, keyResultView, ObjectiveView, objectiveView } from './okr-views';
import { OkrsStore } from './okrs.store';

const ENDED = ['graduated', 'stopped'];

/**
 * Objectives and key results as every OKR use reaches them: the rule that a closed
 * quarter or an ended pilot refuses changes, one lock order, the owner and title checks, the audit
 * record of a change, and the views as the reader may see them.
 */
@Injectable()
export class OkrAccess {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: OkrsStore,
    private readonly pilots: PilotService,
    private readonly audit: AuditLog,
  ) {}

  /** The quarter and its pilot, refused when the quarter is closed or the pilot has ended. */
  async quarterForWrite(
    quarterId: string,
    manager: EntityManager,
    lock = false,
  ): Promise<{ quarter: Quarter; pilot: Pilot }> {
    const quarter = lock
      ? await this.pilots.quarterForUpdate(quarterId, manager)
      : await this.pilots.quarter(quarterId, manager);
    if (quarter.state === 'closed')
      throw new ConflictError(
        `The quarter ${quarter.label} is closed; its OKRs can no longer change, only be scored.`,
        { quarterState: quarter.state },
      );
    const pilot = await this.pilots.pilot(quarter.pilotId, manager);
    if (ENDED.includes(pilot.state))
      throw new ConflictError(`The pilot is ${pilot.state}; its OKRs can no longer change, only be scored.`, {
        pilotState: pilot.state,
      });
    return { quarter, pilot };
  }

  /** Locks the objective before the key result, the same order everywhere. */
  async lockKeyResult(id: string, manager: EntityManager): Promise<{ objective: Objective; kr: KeyResult }> {
    const found = await this.store.getKeyResult(id, {}, manager);
    const objective = await this.store.getObjective(found.objectiveId, { lock: true }, manager);
    const kr = await this.store.getKeyResult(id, { lock: true }, manager);
    return { objective, kr };
  }

  /** Every owner must be a participant of the pilot. */
  async ownerIssues(
    pilotId: string,
    owners: { field: string; id: string | null | undefined }[],
    manager: EntityManager,
  ): Promise<InputIssue[]> {
    const ids = [...new Set(owners.map((o) => o.id).filter((id): id is string => !!id))];
    if (!ids.length) return [];
    const known = new Set(
      await this.store.pilotMembers(this.tenancy.actor.workspaceId, pilotId, ids, manager),
    );
    return owners
      .filter((o) => o.id && !known.has(o.id))
      .map((o) => ({ field: o.field, reason: 'not a participant of this pilot' }));
  }

  /**
   * A title already taken: by another objective of the quarter (`{ quarterId }`), or by another key
   * result of the objective (`{ objectiveId }`).
   */
  async titleIssues(
    within: { quarterId: string } | { objectiveId: string },
    title: string,
    exceptId: string | null,
    manager: EntityManager,
  ): Promise<InputIssue[]> {
    const objective = 'quarterId' in within;
    const other = objective
      ? await this.store.objectiveTitled(within.quarterId, title, manager)
      : await this.store.keyResultTitled(within.objectiveId, title, manager);
    if (!other || other.id === exceptId) return [];
    const reason = objective
      ? 'another objective of this quarter has this title'
      : 'another key result of this objective has this title';
    return [{ field: 'title', reason }];
  }

  /** Records a change to an objective or a key result (`key_result.deleted`, …) in the change's transaction. */
  record(
    manager: EntityManager,
    action: `${'objective' | 'key_result'}.${string}`,
    entityId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    const entityType = action.slice(0, action.indexOf('.'));
    return this.audit.record({ action, entityType, entityId, details }, manager);
  }

  /** A key result with its objective's score and quality hints, as the reader may see it. */
  async result(kr: KeyResult, objective: Objective, manager?: EntityManager): Promise<KeyResultResult> {
    const krs = await this.store.keyResultsOf(objective.id, manager);
    return {
      ...this.forReader(keyResultView(kr)),
      objectiveScore: objective.finalScore,
      hints: qualityHints({ keyResults: krs }),
    };
  }

  /** Objectives with their key results in order, as the reader may see them. */
  async views(objectives: Objective[], manager?: EntityManager): Promise<ObjectiveView[]> {
    if (!objectives.length) return [];
    const krs = await this.store.keyResultsOf(
      objectives.map((o) => o.id),
      manager,
      true,
    );
    return objectives.map((o) => {
      const view = this.forReader(
        objectiveView(
          o,
          krs.filter((kr) => kr.objectiveId === o.id),
        ),
      );
      return { ...view, keyResults: view.keyResults.map((kr) => this.forReader(kr)) };
    });
  }

  /**
   * An owner is a participant, and sponsors see no personal data: a sponsor reads objectives and key
   * results without their owners (progress, scores and confidence are the OKR's, not the person's).
   */
  private forReader<T extends { ownerId: string | null }>(view: T): T {
    return this.tenancy.actor.role === 'sponsor' ? { ...view, ownerId: null } : view;
  }
}
