import {
  EntityManager,
  EntityTarget,
  FindManyOptions,
  FindOptionsOrder,
  FindOptionsWhere,
  In,
  ObjectLiteral,
  SelectQueryBuilder,
} from 'typeorm';
import {
  KeyResult,
  LearningNote,
  LearningReport,
  ReadinessReport,
  ReportShare,
  RolloutDecision,
  Objective,
  Organization,
  Pilot,
  PilotMembership,
  Quarter,
  Retrospective,
  Rollout,
  SponsorGrant,
  WorkspaceOwned,
} from '@luotsi/database';
import { Actor, canWrite } from './actor';
import { ForbiddenError, NotFoundError } from '../common/errors';
import { Page, PageRequest } from '../common/page';

/**
 * Which column ties a row to an organization. A sponsor sees rows of its granted organizations only;
 * an entity missing here (participants, members, the audit log) is invisible to sponsors.
 */
/** An entity class, as TypeORM takes it. */
export type EntityClass<T> = EntityTarget<T> & (abstract new (...args: never[]) => T);

const ORGANIZATION_COLUMN = new Map<EntityClass<unknown>, string>([
  [Organization, 'id'],
  [Rollout, 'organizationId'],
  [Pilot, 'organizationId'],
  [Quarter, 'organizationId'],
  [PilotMembership, 'organizationId'],
  [SponsorGrant, 'organizationId'],
  [Retrospective, 'organizationId'],
  [Objective, 'organizationId'],
  [KeyResult, 'organizationId'],
  [LearningReport, 'organizationId'],
  [LearningNote, 'organizationId'],
  [ReadinessReport, 'organizationId'],
  [RolloutDecision, 'organizationId'],
  [ReportShare, 'organizationId'],
]);

const NO_ID = '00000000-0000-0000-0000-000000000000';

type Where<T> = FindOptionsWhere<T>;

/**
 * The one place where tenancy is enforced: every read is filtered by the actor's workspace (and a
 * sponsor's grants), every write is stamped with the workspace and refused for read-only actors.
 * Services reach tables through this, never through a bare repository.
 */
export class ScopedRepository<T extends WorkspaceOwned> {
  constructor(
    private readonly manager: EntityManager,
    private readonly entity: EntityClass<T>,
    private readonly actor: Actor,
    /** How the record is named in a 404, e.g. "pilot". */
    readonly label: string,
  ) {}

  private get repo() {
    return this.manager.getRepository<T>(this.entity);
  }

  private get organizationColumn(): string | undefined {
    return ORGANIZATION_COLUMN.get(this.entity as EntityClass<unknown>);
  }

  /** Adds the tenant filter to a where clause (or to each branch of an OR list). */
  scopeWhere(where: Where<T> | Where<T>[] = {}): Where<T>[] {
    return (Array.isArray(where) ? where : [where]).map((branch) => {
      // TypeORM 1.x rejects undefined in a where clause; an absent filter simply does not filter.
      const defined = Object.entries(branch).filter(([, value]) => value !== undefined);
      const scoped: ObjectLiteral = { ...Object.fromEntries(defined), workspaceId: this.actor.workspaceId };
      const granted = this.actor.organizationIds;
      if (granted) {
        const column = this.organizationColumn;
        if (!column) {
          scoped.id = NO_ID;
        } else {
          const asked = scoped[column];
          scoped[column] =
            typeof asked === 'string'
              ? granted.includes(asked)
                ? asked
                : NO_ID
              : In(granted.length ? granted : [NO_ID]);
        }
      }
      return scoped as Where<T>;
    });
  }

  /** A query builder that starts out scoped; add conditions with `andWhere`. */
  query(alias: string): SelectQueryBuilder<T> {
    const qb = this.repo.createQueryBuilder(alias).where(`${alias}.workspaceId = :scopeWorkspaceId`, {
      scopeWorkspaceId: this.actor.workspaceId,
    });
    const granted = this.actor.organizationIds;
    if (granted) {
      const column = this.organizationColumn;
      if (!column) qb.andWhere('1 = 0');
      else
        qb.andWhere(`${alias}.${column} IN (:...scopeOrganizationIds)`, {
          scopeOrganizationIds: granted.length ? granted : [NO_ID],
        });
    }
    return qb;
  }

  async find(
    options: Omit<FindManyOptions<T>, 'where'> & { where?: Where<T> | Where<T>[] } = {},
  ): Promise<T[]> {
    return this.repo.find({ ...options, where: this.scopeWhere(options.where) });
  }

  async findOne(where: Where<T>): Promise<T | null> {
    return this.repo.findOne({ where: this.scopeWhere(where) });
  }

  /** The record by id, or a NotFoundError that says nothing about other workspaces. */
  async get(id: string, options: { lock?: boolean } = {}): Promise<T> {
    const found = await this.repo.findOne({
      where: this.scopeWhere({ id } as Where<T>),
      // NO KEY UPDATE: serialises writers of the row without blocking the foreign-key checks of rows that
      // point at it (an answer stored while its run is being closed).
      ...(options.lock ? { lock: { mode: 'for_no_key_update' as const } } : {}),
    });
    if (!found) throw new NotFoundError(this.label);
    return found;
  }

  async page(
    request: PageRequest,
    where: Where<T> | Where<T>[] = {},
    order?: FindOptionsOrder<T>,
  ): Promise<Page<T>> {
    const [items, total] = await this.repo.findAndCount({
      where: this.scopeWhere(where),
      order: order ?? ({ createdAt: 'ASC', id: 'ASC' } as FindOptionsOrder<T>),
      take: request.limit,
      skip: request.offset,
    });
    return { items, total, limit: request.limit, offset: request.offset };
  }

  async count(where: Where<T> = {}): Promise<number> {
    return this.repo.count({ where: this.scopeWhere(where) });
  }

  private assertWritable(): void {
    if (!canWrite(this.actor)) throw new ForbiddenError('This role can read but not change records.');
  }

  async create(values: Omit<Partial<T>, 'workspaceId' | 'id'>): Promise<T> {
    this.assertWritable();
    const row = this.repo.create({ ...values, workspaceId: this.actor.workspaceId } as T);
    return this.repo.save(row);
  }

  /** Saves a row that was read through this scope (so it is known to be the actor's). */
  async save(row: T): Promise<T> {
    this.assertWritable();
    if (row.workspaceId !== this.actor.workspaceId) throw new NotFoundError(this.label);
    return this.repo.save(row);
  }

  async remove(row: T): Promise<void> {
    this.assertWritable();
    if (row.workspaceId !== this.actor.workspaceId) throw new NotFoundError(this.label);
    await this.repo.delete({ id: row.id, workspaceId: this.actor.workspaceId } as Where<T>);
  }
}
