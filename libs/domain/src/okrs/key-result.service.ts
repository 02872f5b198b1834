import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { InvalidInputError } from '../common/errors';
import { Tenancy } from '../tenancy/tenancy.service';
import { validateKeyResult } from './okr-rules';
import {
  draftOf,
  given,
  KeyResultInput,
  KeyResultPatch,
  mergeDraft,
  newKeyResult,
  RECORDED,
  refuseIssues,
  stateColumns,
} from './okr-input';
import { OkrAccess } from './okr-access';
import { OkrsStore } from './okrs.store';
import { OkrScoringService } from './okr-scoring.service';
import type { KeyResultResult } from './okr-views';

const INVALID = 'The key result is invalid; nothing was changed.';

/** An objective's key results: their measure, owner, current value, done flag and confidence. */
@Injectable()
export class KeyResultService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly clock: Clock,
    private readonly okrs: OkrAccess,
    private readonly store: OkrsStore,
    private readonly scoring: OkrScoringService,
  ) {}

  async get(id: string): Promise<KeyResultResult> {
    const kr = await this.store.getKeyResult(id);
    const objective = await this.store.getObjective(kr.objectiveId);
    return this.okrs.result(kr, objective);
  }

  async add(objectiveId: string, input: KeyResultInput): Promise<KeyResultResult> {
    const issues = validateKeyResult(draftOf(input));
    if (issues.length) throw new InvalidInputError(INVALID, issues);
    return this.tenancy.transaction(async (manager) => {
      const objective = await this.store.getObjective(objectiveId, { lock: true }, manager);
      const { pilot } = await this.okrs.quarterForWrite(objective.quarterId, manager);
      const title = input.title.trim();
      refuseIssues(
        [
          ...(await this.okrs.ownerIssues(pilot.id, [{ field: 'ownerId', id: input.ownerId }], manager)),
          ...(await this.okrs.titleIssues({ objectiveId }, title, null, manager)),
        ],
        INVALID,
      );
      const kr = await this.store.createKeyResult(
        {
          ...newKeyResult(objective, input, this.clock.now()),
          position: await this.store.countKeyResults(objectiveId, manager),
        },
        manager,
      );
      await this.okrs.record(manager, 'key_result.created', kr.id, {
        objectiveId,
        title,
        kind: kr.kind,
        measure: kr.measure,
      });
      return this.okrs.result(kr, objective, manager);
    });
  }

  /** Changes a key result, including recording its current value, done flag and confidence. */
  async update(id: string, patch: KeyResultPatch): Promise<KeyResultResult> {
    if (patch.position !== undefined && !(Number.isInteger(patch.position) && patch.position >= 0))
      throw new InvalidInputError('Invalid position.', [
        { field: 'position', reason: 'must be a whole number from 0' },
      ]);
    return this.tenancy.transaction((manager) => this.updateIn(manager, id, patch));
  }

  /** `update` in the caller's transaction (e.g. a rewording accepted together with its record). */
  async updateIn(manager: EntityManager, id: string, patch: KeyResultPatch): Promise<KeyResultResult> {
    const { objective, kr } = await this.okrs.lockKeyResult(id, manager);
    const { pilot } = await this.okrs.quarterForWrite(objective.quarterId, manager);
    const draft = mergeDraft(kr, patch);
    const issues = validateKeyResult(draft);
    if (issues.length) throw new InvalidInputError(INVALID, issues);
    // Validated above: the title is text.
    const title = (draft.title ?? '').trim();
    refuseIssues(
      [
        ...(patch.ownerId !== undefined
          ? await this.okrs.ownerIssues(pilot.id, [{ field: 'ownerId', id: patch.ownerId }], manager)
          : []),
        ...(title !== kr.title
          ? await this.okrs.titleIssues({ objectiveId: objective.id }, title, id, manager)
          : []),
      ],
      INVALID,
    );
    Object.assign(kr, stateColumns(draft));
    if (patch.ownerId !== undefined) kr.ownerId = patch.ownerId;
    if (patch.position !== undefined) kr.position = patch.position;
    if (RECORDED.some((field) => patch[field] !== undefined)) kr.recordedAt = this.clock.now();
    await this.store.saveKeyResult(kr, manager);
    await this.okrs.record(manager, 'key_result.updated', id, {
      fields: given(patch),
      ...Object.fromEntries(RECORDED.filter((f) => patch[f] !== undefined).map((f) => [f, patch[f]])),
    });
    return this.okrs.result(kr, objective, manager);
  }

  async remove(id: string): Promise<void> {
    await this.tenancy.transaction(async (manager) => {
      const { objective, kr } = await this.okrs.lockKeyResult(id, manager);
      await this.okrs.quarterForWrite(objective.quarterId, manager);
      await this.store.removeKeyResult(kr, manager);
      await this.scoring.rescore(objective, manager);
      await this.okrs.record(manager, 'key_result.deleted', id, {
        objectiveId: objective.id,
        title: kr.title,
      });
    });
  }
}
