import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale, Organization, QuietPeriod, Sector } from '@luotsi/database';
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
  /** Recurring periods without cadence mail, `MM-DD` to `MM-DD` (see QuietPeriod). */
  quietPeriods?: QuietPeriod[];
  /** The month its fiscal year starts in, 1–12; quarters of pilots created later follow it. */
  fiscalYearStartMonth?: number;
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

  /** The quiet periods of these organizations, in every workspace (for the scheduler). */
  quietPeriodsOf(ids: string[]): Promise<Map<string, QuietPeriod[]>> {
    return this.store.quietPeriodsOf([...new Set(ids)]);
  }

  async create(input: OrganizationInput): Promise<Organization> {
    assertTimeZone(input.timeZone);
    assertQuietPeriods(input.quietPeriods);
    return this.tenancy.transaction(async (manager) => {
      const organization = await this.store.createOrganization(
        {
          name: input.name.trim(),
          sector: input.sector,
          headcount: input.headcount,
          defaultLocale: input.defaultLocale ?? 'fi',
          timeZone: input.timeZone ?? 'Europe/Helsinki',
          quietPeriods: cleanQuietPeriods(input.quietPeriods ?? []),
          fiscalYearStartMonth: input.fiscalYearStartMonth ?? 1,
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
    assertQuietPeriods(patch.quietPeriods);
    return this.tenancy.transaction(async (manager) => {
      const organization = await this.store.getOrganization(id, { lock: true }, manager);
      Object.assign(
        organization,
        patch,
        patch.name ? { name: patch.name.trim() } : {},
        patch.quietPeriods ? { quietPeriods: cleanQuietPeriods(patch.quietPeriods) } : {},
      );
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

/** Whether `MM-DD` names a day that some year has (02-29 included). */
function isMonthDay(value: unknown): value is string {
  const match = typeof value === 'string' ? /^(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return false;
  const [month, day] = [Number(match[1]), Number(match[2])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(2024, month, 0)).getUTCDate();
}

/** Each period's start and end must be real month-days; a period may run over the new year. */
function assertQuietPeriods(periods: QuietPeriod[] | undefined): void {
  if (periods === undefined) return;
  const issues = periods.flatMap((period, i) =>
    (['start', 'end'] as const)
      .filter((end) => !isMonthDay(period?.[end]))
      .map((end) => ({
        field: `quietPeriods[${i}].${end}`,
        reason: `expected a day of the year as MM-DD (e.g. 07-01), got ${JSON.stringify(period?.[end] ?? null)}`,
      })),
  );
  if (issues.length) throw new InvalidInputError('Invalid quiet periods.', issues);
}

/** Only what a quiet period is, nothing else the request carried. */
const cleanQuietPeriods = (periods: QuietPeriod[]): QuietPeriod[] =>
  periods.map(({ start, end, label }) => ({ start, end, ...(label ? { label: label.trim() } : {}) }));

function assertTimeZone(zone: string | undefined): void {
  if (zone !== undefined && !isTimeZone(zone)) {
    throw new InvalidInputError('Unknown time zone.', [
      { field: 'timeZone', reason: `not an IANA time zone: ${zone}` },
    ]);
  }
}
