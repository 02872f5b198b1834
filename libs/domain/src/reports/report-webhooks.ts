import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReportKind } from '@luotsi/database';
import { OnDomainEvent } from '../common/reactions';
import { WebhookService } from '../webhooks';

interface ReadyLearningReport {
  workspace_id: string;
  organization_id: string;
  pilot_id: string;
  quarter_id: string;
  generation: number;
  built_at: Date;
}

interface ReadyReadinessReport {
  workspace_id: string;
  organization_id: string;
  rollout_id: string;
  verdict: string | null;
  built_at: Date;
}

/** A report stored as ready is announced to the workspace's webhooks (`report.ready`). */
@Injectable()
export class ReportWebhooks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: WebhookService,
  ) {}

  @OnDomainEvent('report.built')
  private async reportReady(kind: ReportKind, reportId: string): Promise<number> {
    if (kind === 'learning') {
      const [report]: ReadyLearningReport[] = await this.dataSource.query(
        `SELECT workspace_id, organization_id, pilot_id, quarter_id, generation, built_at
         FROM learning_report WHERE id = $1 AND status = 'ready'`,
        [reportId],
      );
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
    const [report]: ReadyReadinessReport[] = await this.dataSource.query(
      `SELECT workspace_id, organization_id, rollout_id, verdict, built_at
       FROM readiness_report WHERE id = $1 AND status = 'ready'`,
      [reportId],
    );
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
