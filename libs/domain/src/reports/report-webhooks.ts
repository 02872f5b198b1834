import { Injectable } from '@nestjs/common';
import type { ReportKind } from '@luotsi/database';
import { OnDomainEvent } from '../common/reactions';
import { WebhookService } from '../webhooks';
import { ReportsStore } from './reports.store';

/** A report stored as ready is announced to the workspace's webhooks (`report.ready`). */
@Injectable()
export class ReportWebhooks {
  constructor(
    private readonly store: ReportsStore,
    private readonly webhooks: WebhookService,
  ) {}

  @OnDomainEvent('report.built')
  private async reportReady(kind: ReportKind, reportId: string): Promise<number> {
    if (kind === 'learning') {
      const report = await this.store.readyLearningReport(reportId);
      if (!report) return 0;
      // A rebuild (a new generation) is news of its own.
      return this.webhooks.emit(report.workspace_id, 'report.ready', `${reportId}.g${report.generation}`, {
        kind,
        reportId,
        organizationId: report.organization_id,
        pilotId: report.pilot_id,
        quarterId: report.quarter_id,
        generation: report.generation,
        builtAt: report.built_at,
      });
    }
    const report = await this.store.readyReadinessReport(reportId);
    if (!report) return 0;
    return this.webhooks.emit(report.workspace_id, 'report.ready', reportId, {
      kind,
      reportId,
      organizationId: report.organization_id,
      rolloutId: report.rollout_id,
      verdict: report.verdict,
      builtAt: report.built_at,
    });
  }
}
