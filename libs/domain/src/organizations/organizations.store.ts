import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Locale, Organization, QuietPeriod, Rollout, RolloutStatus, Sector } from '@luotsi/database';
import { Page, PageRequest } from '../common/page';
import { Tenancy } from '../tenancy/tenancy.service';

/** A new client organization; the workspace is the actor's. */
export interface NewOrganization {
  name: string;
  sector: Sector;
  headcount: number;
  defaultLocale: Locale;
  timeZone: string;
  quietPeriods: QuietPeriod[];
  fiscalYearStartMonth: number;
}

/** A new rollout of an organization; the workspace is the actor's. */
export interface NewRollout {
  organizationId: string;
  goal: string;
  targetHeadcount: number;
  plannedWaves: number;
  status: RolloutStatus;
}

/**
 * The tables of organizations and their rollouts (`organization`, `rollout`): the only code that reads or
 * writes them, always in the actor's scope (`Tenancy.repo`): a sponsor sees its granted organizations
 * only, and cannot write.
 */
@Injectable()
export class OrganizationsStore {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly dataSource: DataSource,
  ) {}

  private organizations(manager?: EntityManager) {
    return this.tenancy.repo(Organization, 'organization', manager);
  }

  private rollouts(manager?: EntityManager) {
    return this.tenancy.repo(Rollout, 'rollout', manager);
  }

  pageOrganizations(page: PageRequest): Promise<Page<Organization>> {
    return this.organizations().page(page, {}, { name: 'ASC', id: 'ASC' });
  }

  getOrganization(
    id: string,
    options: { lock?: boolean } = {},
    manager?: EntityManager,
  ): Promise<Organization> {
    return this.organizations(manager).get(id, options);
  }

  /** Those of `ids` that are organizations the actor sees. */
  findOrganizations(ids: string[], manager?: EntityManager): Promise<Organization[]> {
    return this.organizations(manager).find({ where: { id: In(ids) } });
  }

  /**
   * The quiet periods of these organizations, whatever the workspace (the scheduler, which acts for
   * every one), by organization id.
   */
  async quietPeriodsOf(ids: string[]): Promise<Map<string, QuietPeriod[]>> {
    if (!ids.length) return new Map();
    const rows: { id: string; quietPeriods: QuietPeriod[] }[] = await this.dataSource.query(
      `SELECT id, quiet_periods AS "quietPeriods" FROM organization WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.quietPeriods]));
  }

  createOrganization(values: NewOrganization, manager?: EntityManager): Promise<Organization> {
    return this.organizations(manager).create(values);
  }

  saveOrganization(organization: Organization, manager?: EntityManager): Promise<Organization> {
    return this.organizations(manager).save(organization);
  }

  removeOrganization(organization: Organization, manager?: EntityManager): Promise<void> {
    return this.organizations(manager).remove(organization);
  }

  countRollouts(organizationId: string, manager?: EntityManager): Promise<number> {
    return this.rollouts(manager).count({ organizationId });
  }

  pageRollouts(page: PageRequest, organizationId?: string): Promise<Page<Rollout>> {
    return this.rollouts().page(page, organizationId ? { organizationId } : {});
  }

  getRollout(id: string, options: { lock?: boolean } = {}, manager?: EntityManager): Promise<Rollout> {
    return this.rollouts(manager).get(id, options);
  }

  createRollout(values: NewRollout, manager?: EntityManager): Promise<Rollout> {
    return this.rollouts(manager).create(values);
  }

  saveRollout(rollout: Rollout, manager?: EntityManager): Promise<Rollout> {
    return this.rollouts(manager).save(rollout);
  }

  /**
   * A decision's status change: the decider may be a sponsor (the one write a sponsor makes), so it is
   * written in the rollout's own workspace, the rollout having been read through the actor's scope.
   */
  async setRolloutStatusByDecision(
    rollout: Rollout,
    status: RolloutStatus,
    manager: EntityManager,
  ): Promise<void> {
    await manager
      .getRepository(Rollout)
      .update({ id: rollout.id, workspaceId: rollout.workspaceId }, { status });
    rollout.status = status;
  }

  removeRollout(rollout: Rollout, manager?: EntityManager): Promise<void> {
    return this.rollouts(manager).remove(rollout);
  }
}
