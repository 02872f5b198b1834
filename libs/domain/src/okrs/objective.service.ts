import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Quarter } from '@luotsi/database';
import { Clock } from '../common/clock';
import { InvalidInputError } from '../common/errors';
import { Page, PageRequest } from '../common/page';
import { Tenancy } from '../tenancy/tenancy.service';
import { validateKeyResult } from './okr-rules';
import {
  draftOf,
  duplicateTitles,
  given,
  levelIssues,
  newKeyResult,
  ObjectiveInput,
  ObjectivePatch,
  refuseIssues,
  validateObjectiveFields,
} from './okr-input';
import { OkrAccess } from './okr-access';
import { OkrsStore } from './okrs.store';
import { PilotService } from '../pilots';
import type { ObjectiveView } from './okr-views';

const INVALID = 'The objective is invalid; nothing was changed.';

/** The objectives of a pilot's quarter, each created with its key results, with progress and hints. */
@Injectable()
export class ObjectiveService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly clock: Clock,
    private readonly okrs: OkrAccess,
    private readonly store: OkrsStore,
    private readonly pilots: PilotService,
  ) {}

  async listForQuarter(quarterId: string, page: PageRequest): Promise<Page<ObjectiveView>> {
    return this.listOfQuarter(await this.pilots.quarter(quarterId), page);
  }

  /** The objectives of a quarter the caller has already read through the tenant scope. */
  async listOfQuarter(quarter: Quarter, page: PageRequest): Promise<Page<ObjectiveView>> {
    const result = await this.store.pageObjectives(quarter.id, page);
    return { ...result, items: await this.okrs.views(result.items) };
  }

  async get(id: string): Promise<ObjectiveView> {
    const [view] = await this.okrs.views([await this.store.getObjective(id)]);
    return view;
  }

  async create(quarterId: string, input: ObjectiveInput): Promise<ObjectiveView> {
    const keyResults = input.keyResults ?? [];
    const issues = [
      ...validateObjectiveFields(input),
      ...keyResults.flatMap((kr, i) => validateKeyResult(draftOf(kr), `keyResults[${i}].`)),
      ...duplicateTitles(keyResults.map((kr) => kr.title)),
    ];
    if (issues.length) throw new InvalidInputError(INVALID, issues);
    return this.tenancy.transaction(async (manager) => {
      const { quarter, pilot } = await this.okrs.quarterForWrite(quarterId, manager, true);
      const title = input.title.trim();
      refuseIssues(
        [
          ...levelIssues(pilot.levels, input.level),
          ...(await this.okrs.ownerIssues(
            pilot.id,
            [
              { field: 'ownerId', id: input.ownerId },
              ...keyResults.map((kr, i) => ({ field: `keyResults[${i}].ownerId`, id: kr.ownerId })),
            ],
            manager,
          )),
          ...(await this.okrs.titleIssues({ quarterId }, title, null, manager)),
        ],
        INVALID,
      );
      const objective = await this.store.createObjective(
        {
          quarterId,
          pilotId: quarter.pilotId,
          organizationId: quarter.organizationId,
          title,
          description: input.description?.trim() ?? '',
          ownerId: input.ownerId ?? null,
          level: input.level ?? null,
          position: await this.store.countObjectives(quarterId, manager),
          carriedFromId: null,
          finalScore: null,
        },
        manager,
      );
      for (const [position, kr] of keyResults.entries())
        await this.store.createKeyResult(
          { ...newKeyResult(objective, kr, this.clock.now()), position },
          manager,
        );
      await this.okrs.record(manager, 'objective.created', objective.id, {
        quarterId,
        title,
        keyResults: keyResults.length,
      });
      const [view] = await this.okrs.views([objective], manager);
      return view;
    });
  }

  async update(id: string, patch: ObjectivePatch): Promise<ObjectiveView> {
    const issues = validateObjectiveFields(patch, true);
    if (issues.length) throw new InvalidInputError(INVALID, issues);
    return this.tenancy.transaction((manager) => this.updateIn(manager, id, patch));
  }

  /** `update` in the caller's transaction (e.g. a rewording accepted together with its record). */
  async updateIn(manager: EntityManager, id: string, patch: ObjectivePatch): Promise<ObjectiveView> {
    const objective = await this.store.getObjective(id, { lock: true }, manager);
    const { pilot } = await this.okrs.quarterForWrite(objective.quarterId, manager);
    const title = patch.title?.trim();
    refuseIssues(
      [
        ...(patch.level !== undefined ? levelIssues(pilot.levels, patch.level) : []),
        ...(patch.ownerId !== undefined
          ? await this.okrs.ownerIssues(pilot.id, [{ field: 'ownerId', id: patch.ownerId }], manager)
          : []),
        ...(title ? await this.okrs.titleIssues({ quarterId: objective.quarterId }, title, id, manager) : []),
      ],
      INVALID,
    );
    if (title) objective.title = title;
    if (patch.description !== undefined) objective.description = patch.description?.trim() ?? '';
    if (patch.ownerId !== undefined) objective.ownerId = patch.ownerId;
    if (patch.level !== undefined) objective.level = patch.level;
    if (patch.position !== undefined) objective.position = patch.position;
    await this.store.saveObjective(objective, manager);
    await this.okrs.record(manager, 'objective.updated', id, { fields: given(patch) });
    const [view] = await this.okrs.views([objective], manager);
    return view;
  }

  /** Deletes the objective and its key results. */
  async remove(id: string): Promise<void> {
    await this.tenancy.transaction(async (manager) => {
      const objective = await this.store.getObjective(id, { lock: true }, manager);
      await this.okrs.quarterForWrite(objective.quarterId, manager);
      await this.store.removeObjective(objective, manager);
      await this.okrs.record(manager, 'objective.deleted', id, {
        quarterId: objective.quarterId,
        title: objective.title,
      });
    });
  }
}
