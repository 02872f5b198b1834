import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale, Organization, Sector } from '@luotsi/database';
import { ConflictError, InvalidInputError } from '../common/errors';
import { Page, PageRequest } from '../common/page';
import { isTimeZone } from '../common/time-zone';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { OrganizationsStore } from './organizations.store';

export interface OrganizationInput {
  name: string;
  sector: Sector;
  headcount: number;
  defaultLocale?: Locale;
  timeZone?: string;
}

/** Client organisations being coached. */
@Injectable()
export class OrganizationService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: OrganizationsStore,
    private readonly audit: AuditLog,
  ) {}

  list(page: PageRequest): Promise<Page<Organization>> {
    return this.store.pageOrganizations(page);
  }

  /** The organization, if the actor sees it; a NotFoundError otherwise. */
  get(id: string, manager?: EntityManager): Promise<Organization> {
    return this.store.getOrganization(id, {}, manager);
  }

  /** Those of `ids` that are organizations the actor sees. */
  findMany(ids: string[], manager?: EntityManager): Promise<Organization[]> {
    return this.store.findOrganizations(ids, manager);
  }

  async create(input: OrganizationInput): Promise<Organization> {
    assertTimeZone(input.timeZone);
    return this.tenancy.transaction(async (manager) => {
      const organization = await this.store.createOrganization(
        {
          name: input.name.trim(),
          sector: input.sector,
          headcount: input.headcount,
          defaultLocale: input.defaultLocale ?? 'fi',
          timeZone: input.timeZone ?? 'Europe/Helsinki',
        },
        manager,
      );
      await this.audit.record(
        {
          action: 'organization.created',
          entityType: 'organization',
          entityId: organization.id,
          details: { ...input },
        },
        manager,
      );
      return organization;
    });
  }

  async update(id: string, patch: Partial<OrganizationInput>): Promise<Organization> {
    assertTimeZone(patch.timeZone);
    return this.tenancy.transaction(async (manager) => {
      const organization = await this.store.getOrganization(id, { lock: true }, manager);
      Object.assign(organization, patch, patch.name ? { name: patch.name.trim() } : {});
      const saved = await this.store.saveOrganization(organization, manager);
      await this.audit.record(
        { action: 'organization.updated', entityType: 'organization', entityId: id, details: { ...patch } },
        manager,
      );
      return saved;
    });
  }

  /** Refused while the organization has rollouts: their history is the product's value. */
  async remove(id: string): Promise<void> {
    await this.tenancy.transaction(async (manager) => {
      const organization = await this.store.getOrganization(id, { lock: true }, manager);
      const rollouts = await this.store.countRollouts(id, manager);
      if (rollouts)
        throw new ConflictError(`The organization has ${rollouts} rollout(s); delete those first.`, {
          rollouts,
        });
      await this.store.removeOrganization(organization, manager);
      await this.audit.record(
        {
          action: 'organization.deleted',
          entityType: 'organization',
          entityId: id,
          details: { name: organization.name },
        },
        manager,
      );
    });
  }
}

function assertTimeZone(zone: string | undefined): void {
  if (zone !== undefined && !isTimeZone(zone)) {
    throw new InvalidInputError('Unknown time zone.', [
      { field: 'timeZone', reason: `not an IANA time zone: ${zone}` },
    ]);
  }
}
