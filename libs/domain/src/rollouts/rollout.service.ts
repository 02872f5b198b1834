import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Organization, Pilot, Rollout, RolloutStatus, ROLLOUT_STATUSES } from '@luotsi/database';
import { ConflictError } from '../common/errors';
import { Page, PageRequest } from '../common/page';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';

export interface RolloutInput {
  organizationId: string;
  goal: string;
  targetHeadcount: number;
  plannedWaves: number;
}

export type RolloutPatch = Partial<Omit<RolloutInput, 'organizationId'>> & { status?: RolloutStatus };

/** OKR roll-out projects. Status only moves forward: planning → piloting → scaling → complete. */
@Injectable()
export class RolloutService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly audit: AuditLog,
  ) {}

  repo(manager?: EntityManager) {
    return this.tenancy.repo(Rollout, 'rollout', manager);
  }

  list(page: PageRequest, filter: { organizationId?: string } = {}): Promise<Page<Rollout>> {
    return this.repo().page(page, filter.organizationId ? { organizationId: filter.organizationId } : {});
  }

  get(id: string): Promise<Rollout> {
    return this.repo().get(id);
  }

  async create(input: RolloutInput): Promise<Rollout> {
    return this.tenancy.transaction(async (manager) => {
      const organization = await this.tenancy
        .repo(Organization, 'organization', manager)
        .get(input.organizationId);
      const rollout = await this.repo(manager).create({
        ...input,
        goal: input.goal.trim(),
        organizationId: organization.id,
        status: 'planning',
      });
      await this.audit.record(
        { action: 'rollout.created', entityType: 'rollout', entityId: rollout.id, details: { ...input } },
        manager,
      );
      return rollout;
    });
  }

  async update(id: string, patch: RolloutPatch): Promise<Rollout> {
    return this.tenancy.transaction(async (manager) => {
      const rollout = await this.repo(manager).get(id, { lock: true });
      if (patch.status && patch.status !== rollout.status) assertForward(rollout.status, patch.status);
      Object.assign(rollout, patch);
      const saved = await this.repo(manager).save(rollout);
      await this.audit.record(
        { action: 'rollout.updated', entityType: 'rollout', entityId: id, details: { ...patch } },
        manager,
      );
      return saved;
    });
  }

  /** The first pilot to start moves a planning rollout to piloting. */
  async onPilotStarted(rolloutId: string, manager: EntityManager): Promise<void> {
    const rollout = await this.repo(manager).get(rolloutId, { lock: true });
    if (rollout.status === 'planning') {
      rollout.status = 'piloting';
      await this.repo(manager).save(rollout);
      await this.audit.record(
        {
          action: 'rollout.status_changed',
          entityType: 'rollout',
          entityId: rolloutId,
          details: { from: 'planning', to: 'piloting' },
        },
        manager,
      );
    }
  }

  async remove(id: string): Promise<void> {
    await this.tenancy.transaction(async (manager) => {
      const rollout = await this.repo(manager).get(id, { lock: true });
      const pilots = await this.tenancy.repo(Pilot, 'pilot', manager).count({ rolloutId: id });
      if (pilots)
        throw new ConflictError(`The rollout has ${pilots} pilot(s); delete those first.`, { pilots });
      await this.repo(manager).remove(rollout);
      await this.audit.record({ action: 'rollout.deleted', entityType: 'rollout', entityId: id }, manager);
    });
  }
}

function assertForward(from: RolloutStatus, to: RolloutStatus): void {
  if (ROLLOUT_STATUSES.indexOf(to) < ROLLOUT_STATUSES.indexOf(from)) {
    throw new ConflictError(
      `A rollout's status only moves forward; it cannot go from ${from} back to ${to}.`,
      { from, to },
    );
  }
}
