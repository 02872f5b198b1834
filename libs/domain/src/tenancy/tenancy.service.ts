import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { WorkspaceOwned } from '@luotsi/database';
import { TenantContext } from './tenant-context';
import { EntityClass, ScopedRepository } from './scoped-repository';
import { Actor } from './actor';
import { ForbiddenError } from '../common/errors';

/** Hands out repositories scoped to the current actor, inside or outside a transaction. */
@Injectable()
export class Tenancy {
  constructor(
    private readonly dataSource: DataSource,
    private readonly context: TenantContext,
  ) {}

  get actor(): Actor {
    return this.context.actor;
  }

  repo<T extends WorkspaceOwned>(
    entity: EntityClass<T>,
    label: string,
    manager: EntityManager = this.dataSource.manager,
  ): ScopedRepository<T> {
    return new ScopedRepository(manager, entity, this.context.actor, label);
  }

  /** Runs `work` in one transaction; a write by a read-only actor is refused before it begins. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.actor.role === 'sponsor') throw new ForbiddenError('This role can read but not change records.');
    return this.dataSource.transaction(work);
  }

  requireRole(...roles: Actor['role'][]): void {
    if (!roles.includes(this.actor.role))
      throw new ForbiddenError(`This needs the role ${roles.join(' or ')}.`);
  }
}
