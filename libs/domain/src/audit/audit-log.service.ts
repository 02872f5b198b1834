import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from '@luotsi/database';
import { TenantContext } from '../tenancy/tenant-context';
import { Page, PageRequest } from '../common/page';
import { ForbiddenError } from '../common/errors';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  action?: string;
}

/** Appends who-did-what records, in the caller's transaction when there is one. */
@Injectable()
export class AuditLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly context: TenantContext,
  ) {}

  async record(entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const actor = this.context.actor;
    await manager.insert(AuditEvent, {
      workspaceId: actor.workspaceId,
      actorId: actor.memberId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      // jsonb: TypeORM's deep-partial type cannot describe an open record.
      details: (entry.details ?? {}) as never,
    });
  }

  /** Newest first; owners only. */
  async list(page: PageRequest, query: AuditQuery = {}): Promise<Page<AuditEvent>> {
    const actor = this.context.actor;
    if (actor.role !== 'owner') throw new ForbiddenError('Only owners read the audit log.');
    const [items, total] = await this.dataSource.getRepository(AuditEvent).findAndCount({
      where: {
        workspaceId: actor.workspaceId,
        ...Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)),
      },
      order: { id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items, total, limit: page.limit, offset: page.offset };
  }
}
