import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { type ReportKind, ReportShare } from '@luotsi/database';
import { Tenancy } from '../../tenancy/tenancy.service';
import { affected } from '../../common/sql';


/** A new share link; only the digest of its token. */
export type NewReportShare = Pick<
  ReportShare,
  | 'workspaceId'
  | 'organizationId'
  | 'reportKind'
  | 'reportId'
  | 'audience'
  | 'tokenHash'
  | 'expiresAt'
  | 'revokedAt'
  | 'createdById'
>;

/**
 * Share links (`report_share`): the only code that reads or writes them. A member's reads go through the
 * actor's scope; a link's token and the report mail name the workspace instead.
 */
@Injectable()
export class ReportSharesStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: Tenancy,
  ) {}

  private shares(manager?: EntityManager) {
    return this.tenancy.repo(ReportShare, 'report share', manager);
  }

  sharesOf(kind: ReportKind, reportId: string): Promise<ReportShare[]> {
    return this.shares().find({
      where: { reportKind: kind, reportId },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
  }

  getShare(id: string, options: { lock?: boolean }, manager: EntityManager): Promise<ReportShare> {
    return this.shares(manager).get(id, options);
  }

  saveShare(share: ReportShare, manager: EntityManager): Promise<ReportShare> {
    return this.shares(manager).save(share);
  }

  /** A link by its token's digest: no actor, the link names its workspace. */
  shareByTokenHash(tokenHash: string): Promise<ReportShare | null> {
    return this.dataSource.getRepository(ReportShare).findOne({ where: { tokenHash } });
  }

  /** Makes a link in the caller's transaction (for a member, or for the report mail of a workspace). */
  async createShare(manager: EntityManager, values: NewReportShare): Promise<ReportShare> {
    const share = manager.create(ReportShare, values);
    await manager.save(share);
    return share;
  }

  /** Retention: up to `limit` share links that expired before `cutoff` (revoked or not). */
  async purgeExpired(cutoff: Date, limit: number): Promise<number> {
    return affected(
      await this.dataSource.query(
        `DELETE FROM report_share WHERE id IN (
           SELECT id FROM report_share WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)`,
        [cutoff, limit],
      ),
    );
  }
}
