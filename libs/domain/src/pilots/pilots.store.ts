import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Level, Pilot, PilotState, Quarter, QuarterState } from '@luotsi/database';
import { Page, PageRequest } from '../common/page';
import { Tenancy } from '../tenancy/tenancy.service';
import type { QuarterDates } from './quarter-calendar';

/** A new pilot of a rollout; the workspace is the actor's. */
export interface NewPilot {
  rolloutId: string;
  organizationId: string;
  name: string;
  waveNumber: number;
  levels: Level[];
  charterScope: string;
  charterSuccessCriteria: string;
  charterDecisionDate: string | null;
  coachId: string | null;
  startQuarter: string;
  quarterCount: number;
  state: PilotState;
  plannedSize: number | null;
  decisionId: string | null;
  waitForReview: boolean;
}

/** A running pilot whose active quarter has ended (see PilotsStore.endedQuarters). */
export interface EndedQuarter {
  workspaceId: string;
  pilotId: string;
  quarterId: string;
  coachId: string | null;
  waitForReview: boolean;
  /** Whether the pilot has a quarter left to start. */
  hasNext: boolean;
}

/** A new quarter of a pilot, with its calendar dates. */
export interface NewQuarter extends QuarterDates {
  pilotId: string;
  organizationId: string;
  number: number;
  state: QuarterState;
}

/**
 * The tables of pilots and their quarters (`pilot`, `quarter`): the only code that reads or writes them,
 * always in the actor's scope (`Tenancy.repo`): a sponsor sees the pilots of its granted organizations
 * only, and cannot write. A job acting for a workspace runs as its system actor.
 */
@Injectable()
export class PilotsStore {
  constructor(private readonly tenancy: Tenancy) {}

  private pilots(manager?: EntityManager) {
    return this.tenancy.repo(Pilot, 'pilot', manager);
  }

  private quarters(manager?: EntityManager) {
    return this.tenancy.repo(Quarter, 'quarter', manager);
  }

  /** A rollout's pilots, by wave. */
  pagePilots(rolloutId: string, page: PageRequest): Promise<Page<Pilot>> {
    return this.pilots().page(page, { rolloutId }, { waveNumber: 'ASC', createdAt: 'ASC', id: 'ASC' });
  }

  getPilot(id: string, options: { lock?: boolean } = {}, manager?: EntityManager): Promise<Pilot> {
    return this.pilots(manager).get(id, options);
  }

  countPilots(rolloutId: string, manager?: EntityManager): Promise<number> {
    return this.pilots(manager).count({ rolloutId });
  }

  createPilot(values: NewPilot, manager?: EntityManager): Promise<Pilot> {
    return this.pilots(manager).create(values);
  }

  savePilot(pilot: Pilot, manager?: EntityManager): Promise<Pilot> {
    return this.pilots(manager).save(pilot);
  }

  removePilot(pilot: Pilot, manager?: EntityManager): Promise<void> {
    return this.pilots(manager).remove(pilot);
  }

  /** A pilot's quarters, first to last. */
  quartersOf(pilotId: string, manager?: EntityManager): Promise<Quarter[]> {
    return this.quarters(manager).find({ where: { pilotId }, order: { number: 'ASC' } });
  }

  /** The active quarter of each of these pilots that has one. */
  activeQuartersOf(pilotIds: string[]): Promise<Quarter[]> {
    return this.quarters()
      .query('q')
      .andWhere('q.pilotId IN (:...ids)', { ids: pilotIds })
      .andWhere("q.state = 'active'")
      .getMany();
  }

  getQuarter(id: string, options: { lock?: boolean } = {}, manager?: EntityManager): Promise<Quarter> {
    return this.quarters(manager).get(id, options);
  }

  /** The pilot's quarter with this number, if it has one. */
  findQuarter(pilotId: string, number: number, manager?: EntityManager): Promise<Quarter | null> {
    return this.quarters(manager).findOne({ pilotId, number });
  }

  createQuarter(values: NewQuarter, manager?: EntityManager): Promise<Quarter> {
    return this.quarters(manager).create(values);
  }

  saveQuarter(quarter: Quarter, manager?: EntityManager): Promise<Quarter> {
    return this.quarters(manager).save(quarter);
  }

  /** Removes every quarter of a pilot read through the actor's scope (a planned pilot rescheduled). */
  async deleteQuarters(pilot: Pilot, manager: EntityManager): Promise<void> {
    await manager.delete(Quarter, { pilotId: pilot.id, workspaceId: pilot.workspaceId });
  }

  /** The quarter, locked FOR UPDATE, read without the actor's scope (see PilotService.lockQuarter). */
  async lockQuarter(
    id: string,
    manager: EntityManager,
  ): Promise<
    Pick<Quarter, 'id' | 'workspaceId' | 'pilotId' | 'organizationId' | 'endsAt' | 'state'> | undefined
  > {
    const [quarter] = await manager.query(
      `SELECT q.id, q.workspace_id, q.pilot_id, q.organization_id, q.ends_at, q.state FROM quarter q WHERE q.id = $1 FOR UPDATE`,
      [id],
    );
    return quarter
      ? {
          id: quarter.id,
          workspaceId: quarter.workspace_id,
          pilotId: quarter.pilot_id,
          organizationId: quarter.organization_id,
          endsAt: quarter.ends_at,
          state: quarter.state,
        }
      : undefined;
  }

  /**
   * Running pilots, in every workspace, whose active quarter ended at or before `now` (its `ends_at`, the
   * local midnight after its last day): the ones to advance, or to wait for the coach's review.
   */
  endedQuarters(now: Date, manager: EntityManager): Promise<EndedQuarter[]> {
    return manager.query(
      `SELECT p.workspace_id AS "workspaceId", p.id AS "pilotId", q.id AS "quarterId", p.coach_id AS "coachId",
              p.wait_for_review AS "waitForReview",
              EXISTS (SELECT 1 FROM quarter n WHERE n.pilot_id = p.id AND n.state = 'upcoming') AS "hasNext"
       FROM pilot p JOIN quarter q ON q.pilot_id = p.id AND q.state = 'active'
       WHERE p.state = 'running' AND q.ends_at <= $1
       ORDER BY q.ends_at, p.id`,
      [now],
    );
  }

  /** Every pilot of a rollout the actor sees, by wave. */
  pilotsOf(rolloutId: string, manager?: EntityManager): Promise<Pilot[]> {
    return this.pilots(manager).find({
      where: { rolloutId },
      order: { waveNumber: 'ASC', createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** The pilots created from these decisions that the actor sees, by wave and creation. */
  pilotsOfDecisions(decisionIds: string[], manager?: EntityManager): Promise<Pilot[]> {
    if (!decisionIds.length) return Promise.resolve([]);
    return this.pilots(manager).find({
      where: { decisionId: In(decisionIds) },
      order: { waveNumber: 'ASC', createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** The pilots with these ids that the actor sees. */
  pilotsByIds(ids: string[], manager?: EntityManager): Promise<Pilot[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.pilots(manager).find({ where: { id: In(ids) } });
  }

  /** The quarters with these ids that the actor sees. */
  quartersByIds(ids: string[], manager?: EntityManager): Promise<Quarter[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.quarters(manager).find({ where: { id: In(ids) } });
  }
}
