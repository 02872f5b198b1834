import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RolloutDecision } from '@luotsi/database';
import { Page, PageRequest } from '../../common/page';
import { Tenancy } from '../../tenancy/tenancy.service';


/**
 * The sponsors' decisions on readiness reports (`rollout_decision`): the only code that reads or writes
 * them. Reads go through the actor's scope; the one write is the sponsor's own (see `saveDecision`).
 */
@Injectable()
export class RolloutDecisionsStore {
  constructor(private readonly tenancy: Tenancy) {}

  /** Records a decision; a sponsor's one write, so not through the scoped repository's write path. */
  saveDecision(manager: EntityManager, values: Partial<RolloutDecision>): Promise<RolloutDecision> {
    return manager.getRepository(RolloutDecision).save(manager.getRepository(RolloutDecision).create(values));
  }

  /** A rollout's decisions, newest first. */
  async pageDecisions(rolloutId: string, page: PageRequest): Promise<Page<RolloutDecision>> {
    const [items, total] = await this.decisions({ rolloutId }).take(page.limit).skip(page.offset).getManyAndCount();
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /** Decisions by id or by report, newest first. */
  findDecisions(
    where: { id?: string; readinessReportId?: string },
    limit?: number,
    manager?: EntityManager,
  ): Promise<RolloutDecision[]> {
    const query = this.decisions(where, manager);
    if (limit) query.take(limit);
    return query.getMany();
  }

  private decisions(where: { id?: string; rolloutId?: string; readinessReportId?: string }, manager?: EntityManager) {
    const query = this.tenancy
      .repo(RolloutDecision, 'decision', manager)
      .query('d')
      .orderBy('d.decidedAt', 'DESC')
      .addOrderBy('d.createdAt', 'DESC')
      .addOrderBy('d.id', 'DESC');
    if (where.id) query.andWhere('d.id = :id', { id: where.id });
    if (where.rolloutId) query.andWhere('d.rolloutId = :rolloutId', { rolloutId: where.rolloutId });
    if (where.readinessReportId)
      query.andWhere('d.readinessReportId = :reportId', { reportId: where.readinessReportId });
    return query;
  }
}
