import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Level, Pilot, Quarter, Rollout } from '@luotsi/database';
import { Clock } from '../common/clock';
import { ConflictError, InvalidInputError, InputIssue } from '../common/errors';
import { Page, PageRequest } from '../common/page';
import { OnDomainEvent } from '../common/reactions';
import { Tenancy } from '../tenancy/tenancy.service';
import { TenantContext } from '../tenancy/tenant-context';
import { systemActor } from '../tenancy/actor';
import { EndedQuarter, PilotsStore } from './pilots.store';
import { AuditLog } from '../audit';
import { assertOpen, OrganizationService, RolloutService } from '../organizations';
import { MemberService } from '../workspaces';
import { parseQuarterLabel, quarterSeries, nextQuarter } from './quarter-calendar';
import { PilotAction, transition } from './pilot-lifecycle';

export interface PilotInput {
  name: string;
  waveNumber: number;
  levels: Level[];
  charter?: { scope?: string; successCriteria?: string; decisionDate?: string | null };
  coachId?: string | null;
  startQuarter: string;
  quarterCount?: number;
  /** At a quarter's end, wait for the coach's review rather than advance by itself (default false). */
  waitForReview?: boolean;
}

export type PilotPatch = Partial<PilotInput>;

export interface PilotView extends Omit<
  Pilot,
  'charterScope' | 'charterSuccessCriteria' | 'charterDecisionDate'
> {
  charter: { scope: string; successCriteria: string; decisionDate: string | null };
  currentQuarter: Quarter | null;
}

const DEFAULT_QUARTERS = 4;

/** Pilot groups and their quarters; the lifecycle rules live in pilot-lifecycle.ts. */
@Injectable()
export class PilotService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: PilotsStore,
    private readonly audit: AuditLog,
    private readonly rollouts: RolloutService,
    private readonly organizations: OrganizationService,
    private readonly members: MemberService,
    private readonly clock: Clock,
    private readonly context: TenantContext,
    private readonly dataSource: DataSource,
  ) {}

  async list(rolloutId: string, page: PageRequest): Promise<Page<PilotView>> {
    await this.rollouts.get(rolloutId);
    const result = await this.store.pagePilots(rolloutId, page);
    return { ...result, items: await this.views(result.items) };
  }

  async get(id: string): Promise<PilotView> {
    const [view] = await this.views([await this.store.getPilot(id)]);
    return view;
  }

  /** The pilot as stored, if the actor sees it; a NotFoundError otherwise. */
  pilot(id: string, manager?: EntityManager): Promise<Pilot> {
    return this.store.getPilot(id, {}, manager);
  }

  /** The quarter as stored, if the actor sees it; a NotFoundError otherwise. */
  quarter(id: string, manager?: EntityManager): Promise<Quarter> {
    return this.store.getQuarter(id, {}, manager);
  }

  /** The quarter, locked until the transaction ends (its writers wait). */
  quarterForUpdate(id: string, manager: EntityManager): Promise<Quarter> {
    return this.store.getQuarter(id, { lock: true }, manager);
  }

  /** The pilot's quarter after this one; null in its last quarter. */
  quarterAfter(quarter: Quarter, manager?: EntityManager): Promise<Quarter | null> {
    return this.store.findQuarter(quarter.pilotId, quarter.number + 1, manager);
  }

  async create(rolloutId: string, input: PilotInput): Promise<PilotView> {
    const pilot = await this.tenancy.transaction((manager) => this.createIn(rolloutId, input, manager));
    return this.get(pilot.id);
  }

  /**
   * Creates the pilot and its quarters in the caller's transaction. `wave`: the pilot is a next wave
   * created from a sponsors' decision, planned for this many participants (see `NextWaveService`).
   */
  async createIn(
    rolloutId: string,
    input: PilotInput,
    manager: EntityManager,
    wave?: { decisionId: string; plannedSize: number },
  ): Promise<Pilot> {
    const first = this.parseStart(input.startQuarter);
    const rollout = await this.rollouts.get(rolloutId, manager);
    if (rollout.status === 'complete')
      throw new ConflictError('The rollout is complete; it takes no new pilots.');
    assertOpen(rollout, 'takes no new pilots');
    await this.assertCoach(input.coachId, manager);
    const pilot = await this.store.createPilot(
      {
        rolloutId,
        organizationId: rollout.organizationId,
        name: input.name.trim(),
        waveNumber: input.waveNumber,
        levels: [...new Set(input.levels)],
        charterScope: input.charter?.scope ?? '',
        charterSuccessCriteria: input.charter?.successCriteria ?? '',
        charterDecisionDate: input.charter?.decisionDate ?? null,
        coachId: input.coachId ?? null,
        startQuarter: input.startQuarter,
        quarterCount: input.quarterCount ?? DEFAULT_QUARTERS,
        state: 'planned',
        plannedSize: wave?.plannedSize ?? null,
        decisionId: wave?.decisionId ?? null,
        waitForReview: input.waitForReview ?? false,
      },
      manager,
    );
    await this.createQuarters(pilot, first, 1, pilot.quarterCount, manager);
    await this.audit.record(
      {
        action: 'pilot.created',
        entityType: 'pilot',
        entityId: pilot.id,
        details: {
          ...input,
          ...(wave ? { decisionId: wave.decisionId, plannedSize: wave.plannedSize } : {}),
        },
      },
      manager,
    );
    return pilot;
  }

  /** The pilots created from these decisions as next waves, by wave and creation; as views. */
  async pilotsOfDecisions(decisionIds: string[], manager?: EntityManager): Promise<PilotView[]> {
    return this.views(await this.store.pilotsOfDecisions(decisionIds, manager));
  }

  /** These pilots as views, in the order given (all of them must be visible to the actor). */
  async getMany(ids: string[]): Promise<PilotView[]> {
    const pilots = await this.store.pilotsByIds(ids);
    const byId = new Map(pilots.map((p) => [p.id, p]));
    return this.views(ids.map((id) => byId.get(id)).filter((p): p is Pilot => p !== undefined));
  }

  async update(id: string, patch: PilotPatch): Promise<PilotView> {
    await this.tenancy.transaction(async (manager) => {
      const pilot = await this.store.getPilot(id, { lock: true }, manager);
      const reschedules = patch.startQuarter !== undefined || patch.quarterCount !== undefined;
      if (reschedules && pilot.state !== 'planned') {
        throw new ConflictError(
          `The quarters of a ${pilot.state} pilot are fixed; only a planned pilot can be rescheduled.`,
        );
      }
      if (patch.coachId !== undefined) await this.assertCoach(patch.coachId, manager);
      if (patch.name !== undefined) pilot.name = patch.name.trim();
      if (patch.waveNumber !== undefined) pilot.waveNumber = patch.waveNumber;
      if (patch.levels !== undefined) pilot.levels = [...new Set(patch.levels)];
      if (patch.coachId !== undefined) pilot.coachId = patch.coachId;
      if (patch.charter?.scope !== undefined) pilot.charterScope = patch.charter.scope;
      if (patch.charter?.successCriteria !== undefined)
        pilot.charterSuccessCriteria = patch.charter.successCriteria;
      if (patch.charter?.decisionDate !== undefined) pilot.charterDecisionDate = patch.charter.decisionDate;
      if (patch.waitForReview !== undefined) pilot.waitForReview = patch.waitForReview;
      if (reschedules) {
        pilot.startQuarter = patch.startQuarter ?? pilot.startQuarter;
        pilot.quarterCount = patch.quarterCount ?? pilot.quarterCount;
        await this.store.deleteQuarters(pilot, manager);
        await this.createQuarters(pilot, this.parseStart(pilot.startQuarter), 1, pilot.quarterCount, manager);
      }
      await this.store.savePilot(pilot, manager);
      await this.audit.record(
        { action: 'pilot.updated', entityType: 'pilot', entityId: id, details: { ...patch } },
        manager,
      );
    });
    return this.get(id);
  }

  /** Applies a lifecycle action; an illegal one is a ConflictError that says why. */
  async act(id: string, action: PilotAction, options: { quarters?: number } = {}): Promise<PilotView> {
    await this.tenancy.transaction(async (manager) => {
      const pilot = await this.store.getPilot(id, { lock: true }, manager);
      const result = transition(pilot.state, action);
      if (!result.ok) throw new ConflictError(result.reason, { state: pilot.state, action });
      const quarters = await this.store.quartersOf(id, manager);
      const active = quarters.find((q) => q.state === 'active');
      const upcoming = quarters.find((q) => q.state === 'upcoming');
      const now = this.clock.now();
      const details: Record<string, unknown> = { from: pilot.state, to: result.to };

      switch (action) {
        case 'start':
          if (!upcoming) throw new ConflictError('The pilot has no quarter to start.');
          await this.activate(upcoming, now, manager);
          await this.rollouts.onPilotStarted(pilot.rolloutId, manager);
          details.quarter = upcoming.label;
          break;
        case 'advance':
          if (!upcoming) {
            throw new ConflictError(
              'The pilot is in its last quarter; review it, then graduate or extend it.',
              {
                state: pilot.state,
                action,
              },
            );
          }
          Object.assign(details, await this.moveOn(active, upcoming, now, manager));
          break;
        case 'review':
        case 'stop':
          if (active) await this.close(active, now, manager);
          details.closed = active?.label ?? null;
          break;
        case 'extend': {
          const added = options.quarters ?? 2;
          const last = quarters[quarters.length - 1];
          const first = nextQuarter(this.parseStart(last.label));
          await this.createQuarters(pilot, first, last.number + 1, added, manager);
          pilot.quarterCount += added;
          details.addedQuarters = added;
          break;
        }
        case 'graduate':
          break;
      }
      pilot.state = result.to;
      await this.store.savePilot(pilot, manager);
      await this.audit.record(
        { action: `pilot.${action}`, entityType: 'pilot', entityId: id, details },
        manager,
      );
    });
    return this.get(id);
  }

  /**
   * The running pilots whose active quarter has ended, in every workspace: each one that may moves on to
   * its next quarter by itself (as `advance` does; audited as the system's), and the ones that wait for
   * the coach (asked to, or in their last quarter) are returned. Safe with several workers: each pilot
   * is locked and checked again before it moves, so a quarter moves on once.
   */
  async advanceEnded(): Promise<{ advanced: number; waiting: EndedQuarter[] }> {
    const now = this.clock.now();
    const ended = await this.store.endedQuarters(now, this.dataSource.manager);
    let advanced = 0;
    for (const candidate of ended) {
      if (candidate.waitForReview || !candidate.hasNext) continue;
      const moved = await this.context.run(systemActor(candidate.workspaceId), () =>
        this.tenancy.transaction(async (manager) => {
          const pilot = await this.store.getPilot(candidate.pilotId, { lock: true }, manager);
          if (pilot.state !== 'running' || pilot.waitForReview) return false;
          const quarters = await this.store.quartersOf(pilot.id, manager);
          const active = quarters.find((q) => q.state === 'active');
          const upcoming = quarters.find((q) => q.state === 'upcoming');
          // Another worker, or the coach, moved it meanwhile.
          if (!active || active.id !== candidate.quarterId || active.endsAt > now || !upcoming) return false;
          const details = { from: pilot.state, to: pilot.state, automatic: true };
          Object.assign(details, await this.moveOn(active, upcoming, now, manager));
          await this.store.savePilot(pilot, manager);
          await this.audit.record(
            { action: 'pilot.advance', entityType: 'pilot', entityId: pilot.id, details },
            manager,
          );
          return true;
        }),
      );
      if (moved) advanced++;
    }
    return { advanced, waiting: ended.filter((q) => q.waitForReview || !q.hasNext) };
  }

  /** Closes the active quarter (if any) and activates the next; what the audit says of it. */
  private async moveOn(
    active: Quarter | undefined,
    upcoming: Quarter,
    now: Date,
    manager: EntityManager,
  ): Promise<{ closed: string | null; quarter: string }> {
    if (active) await this.close(active, now, manager);
    await this.activate(upcoming, now, manager);
    return { closed: active?.label ?? null, quarter: upcoming.label };
  }

  /**
   * The pilot and its quarters, first to last, read side by side: a page that shows both reads each once.
   * The pilot's current quarter is its active one among them, as `get` has it.
   */
  async withQuarters(id: string): Promise<{ pilot: PilotView; quarters: Quarter[] }> {
    const [pilot, quarters] = await Promise.all([this.store.getPilot(id), this.store.quartersOf(id)]);
    return { pilot: viewOf(pilot, quarters.find((q) => q.state === 'active') ?? null), quarters };
  }

  /** A pilot's quarters, first to last. */
  async listQuarters(pilotId: string): Promise<Quarter[]> {
    await this.store.getPilot(pilotId);
    return this.store.quartersOf(pilotId);
  }

  getQuarter(id: string): Promise<Quarter> {
    return this.store.getQuarter(id);
  }

  async remove(id: string): Promise<void> {
    await this.tenancy.transaction(async (manager) => {
      const pilot = await this.store.getPilot(id, { lock: true }, manager);
      if (pilot.state !== 'planned') {
        throw new ConflictError(`A ${pilot.state} pilot has history; stop it instead of deleting it.`);
      }
      await this.store.removePilot(pilot, manager);
      await this.audit.record(
        { action: 'pilot.deleted', entityType: 'pilot', entityId: id, details: { name: pilot.name } },
        manager,
      );
    });
  }

  private async activate(quarter: Quarter, now: Date, manager: EntityManager) {
    quarter.state = 'active';
    quarter.activatedAt = now;
    await this.store.saveQuarter(quarter, manager);
  }

  private async close(quarter: Quarter, now: Date, manager: EntityManager) {
    quarter.state = 'closed';
    quarter.closedAt = now;
    await this.store.saveQuarter(quarter, manager);
  }

  private async createQuarters(
    pilot: Pilot,
    first: ReturnType<typeof nextQuarter>,
    firstNumber: number,
    count: number,
    manager: EntityManager,
  ): Promise<void> {
    const organization = await this.organizations.get(pilot.organizationId, manager);
    for (const [i, dates] of quarterSeries(
      first,
      count,
      organization.timeZone,
      organization.fiscalYearStartMonth,
    ).entries()) {
      await this.store.createQuarter(
        {
          pilotId: pilot.id,
          organizationId: pilot.organizationId,
          number: firstNumber + i,
          state: 'upcoming',
          ...dates,
        },
        manager,
      );
    }
  }

  private parseStart(label: string) {
    const parsed = parseQuarterLabel(label);
    if (!parsed) {
      throw new InvalidInputError('Invalid start quarter.', [
        { field: 'startQuarter', reason: `expected a calendar quarter like 2027-Q1, got "${label}"` },
      ]);
    }
    return parsed;
  }

  /** A rollout with pilots is not deleted: they are its history. */
  @OnDomainEvent('rollout.deleting')
  private async refuseRolloutWithPilots(manager: EntityManager, rollout: Rollout): Promise<void> {
    const pilots = await this.store.countPilots(rollout.id, manager);
    if (pilots)
      throw new ConflictError(`The rollout has ${pilots} pilot(s); delete those first.`, { pilots });
  }

  private async assertCoach(coachId: string | null | undefined, manager: EntityManager): Promise<void> {
    if (!coachId) return;
    const role = await this.members.roleOf(coachId, manager);
    const issue: InputIssue | null = !role
      ? { field: 'coachId', reason: 'no such member' }
      : role === 'sponsor'
        ? { field: 'coachId', reason: 'a sponsor cannot coach a pilot' }
        : null;
    if (issue) throw new InvalidInputError('Invalid coach.', [issue]);
  }

  private async views(pilots: Pilot[]): Promise<PilotView[]> {
    if (!pilots.length) return [];
    const active = await this.store.activeQuartersOf(pilots.map((p) => p.id));
    return pilots.map((pilot) => viewOf(pilot, active.find((q) => q.pilotId === pilot.id) ?? null));
  }

  /**
   * The quarter, locked FOR UPDATE in the caller's transaction, whatever the actor: a retrospective run
   * opening for it (from the coach's API, its quarter already scoped, or from a cadence step). Undefined
   * if there is no such quarter.
   */
  lockQuarter(
    id: string,
    manager: EntityManager,
  ): Promise<
    Pick<Quarter, 'id' | 'workspaceId' | 'pilotId' | 'organizationId' | 'endsAt' | 'state'> | undefined
  > {
    return this.store.lockQuarter(id, manager);
  }

  /** Every pilot of the rollout, as stored, that the actor sees; by wave. */
  pilotsOfRollout(rolloutId: string, manager?: EntityManager): Promise<Pilot[]> {
    return this.store.pilotsOf(rolloutId, manager);
  }

  /** The quarters with these ids, as stored, that the actor sees; the others are left out. */
  quartersByIds(ids: string[], manager?: EntityManager): Promise<Quarter[]> {
    return this.store.quartersByIds([...new Set(ids)], manager);
  }
}

function viewOf(
  { charterScope, charterSuccessCriteria, charterDecisionDate, ...rest }: Pilot,
  currentQuarter: Quarter | null,
): PilotView {
  return {
    ...rest,
    charter: {
      scope: charterScope,
      successCriteria: charterSuccessCriteria,
      decisionDate: charterDecisionDate,
    },
    currentQuarter,
  };
}
