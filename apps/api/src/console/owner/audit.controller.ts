import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditLog, MemberService } from '@luotsi/domain';
import { Roles } from '../../common/auth';
import { ConsolePages } from '../console-pages';
import { type ConsoleRequest } from '../page-context';
import { pageOf, str } from '../form';

const PAGE_SIZE = 25;

/** The workspace's audit log, newest first, a page at a time, optionally one action only. Owners only. */
@ApiExcludeController()
@Roles('owner')
@Controller('app/audit')
export class AuditPagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly audit: AuditLog,
    private readonly members: MemberService,
  ) {}

  @Get()
  async index(
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Query('page') pageParam?: string,
    @Query('action') actionParam?: string,
  ) {
    const page = pageOf(pageParam);
    // The API's own limit on the filter (100 characters); anything longer names no action.
    const action = str(actionParam).trim().slice(0, 100) || undefined;
    const found = await this.audit.list({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, { action });
    const people = await this.members.byIds(found.items.map((event) => event.actorId));
    const link = (to: number) =>
      `/app/audit?${new URLSearchParams({ ...(action ? { action } : {}), page: String(to) }).toString()}`;
    const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
    this.pages.send(request, response, 'owner/audit', 'owner:audit.title', {
      events: found.items.map((event) => ({
        ...event,
        actor: event.actorId ? (people.get(event.actorId)?.name ?? null) : null,
        removedActor: Boolean(event.actorId && !people.has(event.actorId)),
        actionKey: event.action.replace(/\./g, '_'),
      })),
      action,
      page,
      pages,
      total: found.total,
      previous: page > 1 ? link(page - 1) : null,
      next: page < pages ? link(page + 1) : null,
    });
  }
}
