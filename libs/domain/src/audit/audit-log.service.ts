import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditEvent } from '@luotsi/database';
import { Page, PageRequest } from '../common/page';
import { ForbiddenError } from '../common/errors';
import { Actor } from '../tenancy/actor';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditEntry, AuditLookup, AuditQuery, AuditStore } from './audit.store';

export type { AuditEntry, AuditLookup, AuditQuery } from './audit.store';

/** Appends who-did-what records, in the caller's transaction when there is one. */
@Injectable()
export class AuditLog {
  constructor(
    private readonly store: AuditStore,
    private readonly tenancy: Tenancy,
  ) {}

  record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    return this.store.append(entry, manager);
  }

  /** Records on behalf of someone who is not the request's actor (a workspace's owner at sign-up). */
  recordAs(actor: Actor, entry: AuditEntry, manager?: EntityManager): Promise<void> {
    return this.store.appendAs(actor, entry, manager);
  }

  /** Whether the workspace's log already holds this record's action with these details. */
  has(lookup: AuditLookup, manager?: EntityManager): Promise<boolean> {
    return this.store.has(lookup, manager);
  }

  /** Newest first; owners only. */
  async list(page: PageRequest, query: AuditQuery = {}): Promise<Page<AuditEvent>> {
    if (this.tenancy.actor.role !== 'owner') throw new ForbiddenError('Only owners read the audit log.');
    return this.store.page(page, query);
  }
}
