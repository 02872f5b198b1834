import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Rollout, RolloutDecisionKind, RolloutStatus, ROLLOUT_STATUSES } from '@luotsi/database';
import { ConflictError } from '../common/errors';
import { Page, PageRequest } from '../common/page';
import { Reactions } from '../common/reactions';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { OrganizationsStore } from './organizations.store';

export interface RolloutInput {
  organizationId: string;
  goal: string;
  targetHeadcount: number;
  plannedWaves: number;
}

export type RolloutPatch = Partial<Omit<RolloutInput, 'organizationId'>> & { status?: RolloutStatus };

/**
 * OKR roll-out projects. Status only moves forward: planning → piloting → scaling → complete, and any of
 * them → closed. The sponsors' decisions move it too: `go` widens (scaling), `stop` closes. A closed
 * rollout takes no new pilots and starts none (its running pilots run on until the coach stops them).
 */
@Injectable()
export class RolloutService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: OrganizationsStore,
    private readonly audit: AuditLog,
    private readonly reactions: Reactions,
  ) {}

  list(page: PageRequest, filter: { organizationId?: string } = {}): Promise<Page<Rollout>> {
    return this.store.pageRollouts(page, filter.organizationId);
  }

  /** The rollout, if the actor sees it; a NotFoundError otherwise. */
  get(id: string, manager?: EntityManager): Promise<Rollout> {
    return this.store.getRollout(id, {}, manager);
  }

  /** The rollout, locked until the transaction ends (its writers wait). */
  getForUpdate(id: string, manager: EntityManager): Promise<Rollout> {
    return this.store.getRollout(id, { lock: true }, manager);
  }

  /** Replaces the rollout's readiness thresholds; returns the rollout and the thresholds it had. */
  async setReadinessThresholds(
    id: string,
    thresholds: Record<string, number>,
    manager: EntityManager,
  ): Promise<{ rollout: Rollout; previous: Record<string, number> }> {
    const rollout = await this.store.getRollout(id, { lock: true }, manager);
    const previous = rollout.readinessThresholds;
    rollout.readinessThresholds = thresholds;
    await this.store.saveRollout(rollout, manager);
    return { rollout, previous };
  }

  async create(input: RolloutInput): Promise<Rollout> {
    return this.tenancy.transaction(async (manager) => {
      const organization = await this.store.getOrganization(input.organizationId, {}, manager);
      const rollout = await this.store.createRollout(
        { ...input, goal: input.goal.trim(), organizationId: organization.id, status: 'planning' },
        manager,
      );
      await this.audit.record(
        { action: 'rollout.created', entityType: 'rollout', entityId: rollout.id, details: { ...input } },
        manager,
      );
      return rollout;
    });
  }

  async update(id: string, patch: RolloutPatch): Promise<Rollout> {
    return this.tenancy.transaction(async (manager) => {
      const rollout = await this.store.getRollout(id, { lock: true }, manager);
      if (patch.status && patch.status !== rollout.status) assertForward(rollout.status, patch.status);
      Object.assign(rollout, patch);
      const saved = await this.store.saveRollout(rollout, manager);
      await this.audit.record(
        { action: 'rollout.updated', entityType: 'rollout', entityId: id, details: { ...patch } },
        manager,
      );
      return saved;
    });
  }

  /** The first pilot to start moves a planning rollout to piloting; a closed rollout starts none. */
  async onPilotStarted(rolloutId: string, manager: EntityManager): Promise<void> {
    const rollout = await this.store.getRollout(rolloutId, { lock: true }, manager);
    assertOpen(rollout, 'starts no pilots');
    if (rollout.status === 'planning') {
      rollout.status = 'piloting';
      await this.store.saveRollout(rollout, manager);
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

  /**
   * What a sponsors' decision does to the rollout, in the deciding transaction: `go` widens it (scaling,
   * unless it is there or further already), `stop` closes it; `extend` and `adjust` leave it as it is.
   * A closed rollout takes no more decisions. The decider may be a sponsor, whose writes the scoped
   * repository refuses, so the status is written by the store's decision write (the rollout read
   * through the actor's scope first). Returns the status change, if there was one.
   */
  async applyDecision(
    rolloutId: string,
    decision: { id: string; kind: RolloutDecisionKind },
    manager: EntityManager,
  ): Promise<{ from: RolloutStatus; to: RolloutStatus } | null> {
    const rollout = await this.store.getRollout(rolloutId, { lock: true }, manager);
    assertOpen(rollout, 'takes no more decisions');
    const to: RolloutStatus | null =
      decision.kind === 'stop'
        ? 'closed'
        : decision.kind === 'go' &&
            ROLLOUT_STATUSES.indexOf(rollout.status) < ROLLOUT_STATUSES.indexOf('scaling')
          ? 'scaling'
          : null;
    if (!to) return null;
    const from = rollout.status;
    await this.store.setRolloutStatusByDecision(rollout, to, manager);
    await this.audit.record(
      {
        action: to === 'closed' ? 'rollout.closed' : 'rollout.status_changed',
        entityType: 'rollout',
        entityId: rolloutId,
        details: { from, to, decision: decision.kind, decisionId: decision.id },
      },
      manager,
    );
    return { from, to };
  }

  async remove(id: string): Promise<void> {
    await this.tenancy.transaction(async (manager) => {
      const rollout = await this.store.getRollout(id, { lock: true }, manager);
      // What hangs on the rollout may refuse (its pilots do); the first refusal stops the removal.
      await this.reactions.emit('rollout.deleting', manager, rollout);
      await this.store.removeRollout(rollout, manager);
      await this.audit.record({ action: 'rollout.deleted', entityType: 'rollout', entityId: id }, manager);
    });
  }

  /** Saves the rollout's cadence limits (weekly cap, quiet hours), read for update in the caller's transaction. */
  saveCadenceLimits(rollout: Rollout, manager: EntityManager): Promise<Rollout> {
    return this.store.saveRollout(rollout, manager);
  }
}

/** A closed rollout (stopped by its sponsors) refuses what would carry it on. */
export function assertOpen(rollout: Rollout, what: string): void {
  if (rollout.status === 'closed')
    throw new ConflictError(`The rollout is closed; it ${what}.`, { rolloutStatus: rollout.status });
}

function assertForward(from: RolloutStatus, to: RolloutStatus): void {
  if (ROLLOUT_STATUSES.indexOf(to) < ROLLOUT_STATUSES.indexOf(from)) {
    throw new ConflictError(
      `A rollout's status only moves forward; it cannot go from ${from} back to ${to}.`,
      { from, to },
    );
  }
}
