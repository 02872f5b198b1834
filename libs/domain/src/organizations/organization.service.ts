import { Injectable } from '@nestjs/common';
import { Locale, Organization, Rollout, Sector } from '@luotsi/database';
import { ConflictError, InvalidInputError } from '../common/errors';
import { Page, PageRequest } from '../common/page';
import { isTimeZone } from '../common/time-zone';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';

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
    private readonly audit: AuditLog,
  ) {}

  private repo(manager?: Parameters<Tenancy['repo']>[2]) {
    return this.tenancy.repo(Organization, 'organization', manager);
  }

  list(page: PageRequest): Promise<Page<Organization>> {
    return this.repo().page(page, {}, { name: 'ASC', id: 'ASC' });
  }

  get(id: string): Promise<Organization> {
    return this.repo().get(id);
  }

  async create(input: OrganizationInput): Promise<Organization> {
    assertTimeZone(input.timeZone);
    return this.tenancy.transaction(async (manager) => {
      const organization = await this.repo(manager).create({
        name: input.name.trim(),
        sector: input.sector,
        headcount: input.headcount,
        defaultLocale: input.defaultLocale ?? 'fi',
        timeZone: input.timeZone ?? 'Europe/Helsinki',
      });
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
      const organization = await this.repo(manager).get(id, { lock: true });
      Object.assign(organization, patch, patch.name ? { name: patch.name.trim() } : {});
      const saved = await this.repo(manager).save(organization);
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
      const organization = await this.repo(manager).get(id, { lock: true });
      const rollouts = await this.tenancy.repo(Rollout, 'rollout', manager).count({ organizationId: id });
      if (rollouts)
        throw new ConflictError(`The organization has ${rollouts} rollout(s); delete those first.`, {
          rollouts,
        });
      await this.repo(manager).remove(organization);
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
