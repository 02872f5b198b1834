import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import {
  LearningReport,
  ReadinessReport,
  ReportKind,
  ReportShare,
  SHARE_AUDIENCES,
  ShareAudience,
} from '@luotsi/database';
import { AuditLog } from '../../audit';
import { Clock } from '../../common/clock';
import { ConflictError, InvalidInputError } from '../../common/errors';
import { hashToken, newToken } from '../../common/tokens';
import { refused, Refused, unknownLink } from '../../common/refusal';
import { Tenancy } from '../../tenancy/tenancy.service';
import { ReportsStore } from '../reports.store';
import { ReportSharesStore } from './report-shares.store';

export const SHARE_DEFAULT_DAYS = 14;
export const SHARE_MAX_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

/** `s_` and 256 random bits in base64url: anything else is not a link of ours, and is not looked up. */
const SHARE_TOKEN = /^s_[A-Za-z0-9_-]{43}$/;

export type ShareStatus = 'active' | 'expired' | 'revoked';

export interface ShareView {
  id: string;
  reportKind: ReportKind;
  reportId: string;
  audience: ShareAudience;
  status: ShareStatus;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
  createdById: string | null;
}

/** Returned once, when the link is made: the raw token exists nowhere else. */
export interface CreatedShare extends ShareView {
  url: string;
}

export type OpenedShare = { status: 'open'; share: ReportShare } | Refused;

/** Only the digest is stored; hex, as the column is text. */
export const shareTokenHash = (token: string): string => hashToken(token).toString('hex');

const LABEL: Record<ReportKind, string> = { learning: 'learning report', readiness: 'readiness report' };

/**
 * Links that open one report without an account, for a set time (14 days unless asked, at most 90),
 * revocable at any moment. A link shows the report as its audience may see it: a sponsor link never
 * carries free text of small groups. Tokens are 256 random bits; only their SHA-256 is stored.
 */
@Injectable()
export class ReportSharing {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly reports: ReportsStore,
    private readonly store: ReportSharesStore,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  async create(
    kind: ReportKind,
    reportId: string,
    input: { audience: ShareAudience; expiresInDays?: number },
  ): Promise<CreatedShare> {
    this.tenancy.requireRole('owner', 'coach');
    const days = input.expiresInDays ?? SHARE_DEFAULT_DAYS;
    const issues = [
      ...(SHARE_AUDIENCES.includes(input.audience)
        ? []
        : [{ field: 'audience', reason: `must be one of ${SHARE_AUDIENCES.join(', ')}` }]),
      ...(Number.isInteger(days) && days >= 1 && days <= SHARE_MAX_DAYS
        ? []
        : [{ field: 'expiresInDays', reason: `must be a whole number of days from 1 to ${SHARE_MAX_DAYS}` }]),
    ];
    if (issues.length) throw new InvalidInputError('The share link has invalid fields.', issues);
    const report = await this.report(kind, reportId);
    if (report.status !== 'ready')
      throw new ConflictError(`Only a built ${LABEL[kind]} can be shared.`, { reportStatus: report.status });
    return this.tenancy.transaction(async (manager) => {
      const { token, share } = await this.issue(manager, {
        workspaceId: this.tenancy.actor.workspaceId,
        organizationId: report.organizationId,
        reportKind: kind,
        reportId: report.id,
        audience: input.audience,
        days,
        createdById: this.tenancy.actor.memberId,
      });
      await this.audit.record(
        {
          action: 'report_share.created',
          entityType: 'report_share',
          entityId: share.id,
          details: { reportKind: kind, reportId: report.id, audience: share.audience, expiresAt: share.expiresAt },
        },
        manager,
      );
      return { ...this.toView(share), url: this.url(token) };
    });
  }

  async list(kind: ReportKind, reportId: string): Promise<ShareView[]> {
    this.tenancy.requireRole('owner', 'coach');
    const report = await this.report(kind, reportId);
    const shares = await this.store.sharesOf(kind, report.id);
    return shares.map((share) => this.toView(share));
  }

  /** Revoking twice is fine: the first time stands. */
  async revoke(shareId: string): Promise<ShareView> {
    this.tenancy.requireRole('owner', 'coach');
    return this.tenancy.transaction(async (manager) => {
      const share = await this.store.getShare(shareId, { lock: true }, manager);
      if (!share.revokedAt) {
        share.revokedAt = this.clock.now();
        await this.store.saveShare(share, manager);
        await this.audit.record(
          {
            action: 'report_share.revoked',
            entityType: 'report_share',
            entityId: share.id,
            details: { reportKind: share.reportKind, reportId: share.reportId },
          },
          manager,
        );
      }
      return this.toView(share);
    });
  }

  /** Resolves a link from its token: unknown, gone (expired or revoked), or open. */
  async open(token: string): Promise<OpenedShare> {
    if (!SHARE_TOKEN.test(token)) return unknownLink();
    const share = await this.store.shareByTokenHash(shareTokenHash(token));
    if (!share) return unknownLink();
    if (share.revokedAt) return refused({ kind: 'gone', reason: 'revoked' });
    if (share.expiresAt.getTime() <= this.clock.now().getTime())
      return refused({ kind: 'gone', reason: 'expired' });
    return { status: 'open', share };
  }

  /**
   * Makes a link in the caller's transaction and returns its raw token. Used by `create` and by the
   * report mail, which puts the token into the message and nowhere else.
   */
  async issue(
    manager: EntityManager,
    input: {
      workspaceId: string;
      organizationId: string;
      reportKind: ReportKind;
      reportId: string;
      audience: ShareAudience;
      days: number;
      createdById: string | null;
    },
  ): Promise<{ token: string; url: string; share: ReportShare }> {
    const { token } = newToken('s');
    const share = await this.store.createShare(manager, {
      workspaceId: input.workspaceId,
      organizationId: input.organizationId,
      reportKind: input.reportKind,
      reportId: input.reportId,
      audience: input.audience,
      tokenHash: shareTokenHash(token),
      expiresAt: new Date(this.clock.now().getTime() + input.days * DAY_MS),
      revokedAt: null,
      createdById: input.createdById,
    });
    return { token, url: this.url(token), share };
  }

  url(token: string): string {
    return `${this.config.http.publicBaseUrl}/s/${token}`;
  }

  private async report(kind: ReportKind, reportId: string): Promise<LearningReport | ReadinessReport> {
    return this.reports.getReport(kind, reportId);
  }

  private toView(share: ReportShare): ShareView {
    const now = this.clock.now().getTime();
    return {
      id: share.id,
      reportKind: share.reportKind,
      reportId: share.reportId,
      audience: share.audience,
      status: share.revokedAt ? 'revoked' : share.expiresAt.getTime() <= now ? 'expired' : 'active',
      expiresAt: share.expiresAt,
      revokedAt: share.revokedAt,
      createdAt: share.createdAt,
      createdById: share.createdById,
    };
  }

  /** Retention: share links expired before `cutoff`, up to `limit`; how many went. */
  purgeExpired(cutoff: Date, limit: number): Promise<number> {
    return this.store.purgeExpired(cutoff, limit);
  }
}
