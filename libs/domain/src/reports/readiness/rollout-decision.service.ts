import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RolloutDecision, ROLLOUT_DECISIONS, type RolloutDecisionKind } from '@luotsi/database';
import { AuditLog } from '../../audit';
import { Clock } from '../../common/clock';
import { ConflictError, InputIssue, InvalidInputError } from '../../common/errors';
import { Page, PageRequest } from '../../common/page';
import { RolloutService } from '../../organizations';
import { Tenancy } from '../../tenancy/tenancy.service';
import type { RolloutDecisionView } from '../report-content';
import { WebhookService } from '../../webhooks';
import { MemberService } from '../../workspaces';
import { ReportsStore } from '../reports.store';
import { RolloutDecisionsStore } from './rollout-decisions.store';

export interface DecisionInput {
  decision: RolloutDecisionKind;
  reason: string;
}

export const MAX_REASON = 2000;

/**
 * The sponsors' decision on a readiness report: go, extend, adjust or stop, with who, when and why.
 * This is the one write a sponsor makes, so it does not go through the scoped repository's write path
 * (which refuses sponsors): the report is read through the tenant scope (a sponsor reaches only granted
 * organizations), and the decision is stamped with the actor's workspace and the report's organization.
 * The decision moves the rollout in the same transaction (`RolloutService.applyDecision`): `go` widens
 * it, `stop` closes it; a closed rollout takes no more decisions. The next wave's pilots are created
 * from a `go` by the coach (`NextWaveService`).
 */
@Injectable()
export class RolloutDecisionService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly webhooks: WebhookService,
    private readonly rollouts: RolloutService,
    private readonly reports: ReportsStore,
    private readonly store: RolloutDecisionsStore,
    private readonly members: MemberService,
  ) {}

  async decide(reportId: string, input: DecisionInput): Promise<RolloutDecisionView> {
    this.tenancy.requireRole('sponsor', 'owner');
    const reason = validateDecision(input);
    const actor = this.tenancy.actor;
    const decided = await this.dataSource.transaction(async (manager) => {
      const report = await this.reports.getReadinessReport(reportId, { lock: true }, manager);
      if (report.status !== 'ready')
        throw new ConflictError(`A decision needs a ready report; this one is ${report.status}.`, {
          reportStatus: report.status,
        });
      const decision = await this.store.saveDecision(manager, {
          workspaceId: actor.workspaceId,
          organizationId: report.organizationId,
          rolloutId: report.rolloutId,
          readinessReportId: report.id,
          decision: input.decision,
          reason,
          decidedById: actor.memberId,
          decidedAt: this.clock.now(),
      });
      await this.audit.record(
        {
          action: 'rollout.decided',
          entityType: 'rollout',
          entityId: report.rolloutId,
          details: {
            decision: input.decision,
            verdict: report.verdict,
            reportId: report.id,
            decisionId: decision.id,
            reason,
          },
        },
        manager,
      );
      await this.rollouts.applyDecision(report.rolloutId, { id: decision.id, kind: decision.decision }, manager);
      return { decision, verdict: report.verdict };
    });
    const { decision, verdict } = decided;
    // After the commit: subscribers hear of a decision that is on record.
    await this.webhooks.emit(actor.workspaceId, 'readiness.decided', decision.id, {
      decisionId: decision.id,
      readinessReportId: decision.readinessReportId,
      rolloutId: decision.rolloutId,
      organizationId: decision.organizationId,
      decision: decision.decision,
      verdict,
      decidedAt: decision.decidedAt.toISOString(),
    });
    const [view] = await this.views({ id: decision.id });
    return view;
  }

  /** A rollout's decisions, newest first. */
  async list(rolloutId: string, page: PageRequest): Promise<Page<RolloutDecisionView>> {
    await this.rollouts.get(rolloutId);
    const decisions = await this.store.pageDecisions(rolloutId, page);
    return { ...decisions, items: (await this.withDeciders(decisions.items)).map(toView) };
  }

  /** The latest decision recorded on a report, if any. */
  async latestFor(reportId: string): Promise<RolloutDecisionView | null> {
    const [view] = await this.views({ readinessReportId: reportId }, 1);
    return view ?? null;
  }

  private async views(
    where: { id?: string; readinessReportId?: string },
    limit?: number,
  ): Promise<RolloutDecisionView[]> {
    return (await this.withDeciders(await this.store.findDecisions(where, limit))).map(toView);
  }

  /** The decisions with who decided, asked of the members in one call. */
  private async withDeciders(decisions: RolloutDecision[]): Promise<RolloutDecision[]> {
    const deciders = await this.members.byIds(decisions.map((d) => d.decidedById));
    for (const decision of decisions) {
      const decider = decision.decidedById ? deciders.get(decision.decidedById) : undefined;
      if (decider) decision.decidedBy = decider;
    }
    return decisions;
  }
}

function validateDecision(input: DecisionInput): string {
  const issues: InputIssue[] = [];
  if (!(ROLLOUT_DECISIONS as readonly string[]).includes(input.decision))
    issues.push({ field: 'decision', reason: `must be one of ${ROLLOUT_DECISIONS.join(', ')}` });
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason || reason.length > MAX_REASON)
    issues.push({ field: 'reason', reason: `must be 1 to ${MAX_REASON} characters` });
  if (issues.length) throw new InvalidInputError('The decision is invalid; nothing was recorded.', issues);
  return reason;
}

const toView = (row: RolloutDecision): RolloutDecisionView => ({
  id: row.id,
  readinessReportId: row.readinessReportId,
  decision: row.decision,
  reason: row.reason,
  decidedBy: row.decidedBy ? { id: row.decidedBy.id, name: row.decidedBy.name } : null,
  decidedAt: row.decidedAt.toISOString(),
});
