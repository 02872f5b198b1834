import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from '@luotsi/database';
import { Page, PageRequest } from '../common/page';
import { Actor } from '../tenancy/actor';
import { Tenancy } from '../tenancy/tenancy.service';

/** One record to append: what happened to which record. */
export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  details?: Record<string, unknown>;
}

/** Filters of the audit log; an absent one does not filter. */
export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  action?: string;
}

/** An entry looked for by its record and action, and by text values of its details. */
export interface AuditLookup {
  action: string;
  entityType: string;
  entityId: string;
  details: Record<string, string>;
}

/**
 * The audit log's table (`audit_event`): the only code that reads or writes it. Appends and reads are
 * scoped to the acting member's workspace; an append on behalf of someone who is not signed in yet (the
 * sign-up) names its actor explicitly.
 */
@Injectable()
export class AuditStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: Tenancy,
  ) {}

  /** Appends an entry as the current actor, in the caller's transaction when there is one. */
  append(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    return this.appendAs(this.tenancy.actor, entry, manager);
  }

  /** Appends an entry as `actor`, who is not (yet) the request's actor. */
  async appendAs(
    actor: Actor,
    entry: AuditEntry,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
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

  /** The workspace's entries, newest first. */
  async page(page: PageRequest, query: AuditQuery): Promise<Page<AuditEvent>> {
    const [items, total] = await this.dataSource.getRepository(AuditEvent).findAndCount({
      where: {
        workspaceId: this.tenancy.actor.workspaceId,
        ...Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)),
      },
      order: { id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /** Whether the workspace has an entry for the record and action whose details hold these values. */
  async has(lookup: AuditLookup, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const values: string[] = [
      this.tenancy.actor.workspaceId,
      lookup.entityType,
      lookup.entityId,
      lookup.action,
    ];
    const details = Object.entries(lookup.details)
      .map(([key, value]) => {
        values.push(key, value);
        return ` AND details->>$${values.length - 1} = $${values.length}`;
      })
      .join('');
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM audit_event
       WHERE workspace_id = $1 AND entity_type = $2 AND entity_id = $3 AND action = $4${details}
       LIMIT 1`,
      values,
    );
    return rows.length > 0;
  }
}
