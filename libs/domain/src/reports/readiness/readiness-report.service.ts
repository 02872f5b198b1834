import { Injectable } from '@nestjs/common';
import { ReadinessReport, type Rollout, type ReadinessVerdict, type ReportStatus } from '@luotsi/database';
import { JobName, JobProducer } from '@luotsi/queue';
import { AuditLog } from '../../audit';
import { Clock } from '../../common/clock';
import { NotFoundError } from '../../common/errors';
import { BuildsReport } from '../../common/reactions';
import { formatQuarterLabel, nextQuarter, parseQuarterLabel } from '../../pilots';
import { OrganizationService, RolloutService } from '../../organizations';
import { systemActor } from '../../tenancy/actor';
import { TenantContext } from '../../tenancy/tenant-context';
import { Tenancy } from '../../tenancy/tenancy.service';
import { ReportBuilds } from '../report-builds';
import { ReportsStore } from '../reports.store';
import type { ReadinessReportContent, RolloutDecisionView } from '../report-content';
import { ReadinessEvidence } from './readiness-evidence';
import { judgeGates, proposeNextWave, verdictOf } from './readiness-gates';
import { effectiveThresholds, ReadinessThresholds, validateThresholds } from './readiness-thresholds';
import { RolloutDecisionService } from './rollout-decision.service';

export interface ReadinessReportView {
  id: string;
  rolloutId: string;
  organizationId: string;
  status: ReportStatus;
  progress: number;
  verdict: ReadinessVerdict | null;
  lastError: string | null;
  createdAt: Date;
  builtAt: Date | null;
  /** The report as built; null until it is ready. */
  content: ReadinessReportContent | null;
  /** The latest decision recorded on this report. */
  decision: RolloutDecisionView | null;
}

export interface ThresholdsView {
  /** What the gates use: the defaults overlaid with the rollout's overrides. */
  thresholds: ReadinessThresholds;
  /** What the coach set for this rollout. */
  overrides: ReadinessThresholds;
}

/**
 * A rollout's readiness report for its sponsors. Each build request is a new row, built by the worker's
 * build-report job from the pilots' latest ready learning reports; the API serves the stored content.
 */
@Injectable()
export class ReadinessReportService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly context: TenantContext,
    private readonly store: ReportsStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly builds: ReportBuilds,
    private readonly producer: JobProducer,
    private readonly evidence: ReadinessEvidence,
    private readonly decisions: RolloutDecisionService,
    private readonly rollouts: RolloutService,
    private readonly organizations: OrganizationService,
  ) {}

  async thresholds(rolloutId: string): Promise<ThresholdsView> {
    const rollout = await this.rollouts.get(rolloutId);
    return thresholdsView(rollout);
  }

  /** Replaces the rollout's overrides; a key left out takes its default again. */
  async setThresholds(rolloutId: string, input: unknown): Promise<ThresholdsView> {
    const overrides = validateThresholds(input);
    return this.tenancy.transaction(async (manager) => {
      const { rollout, previous: from } = await this.rollouts.setReadinessThresholds(
        rolloutId,
        overrides as Record<string, number>,
        manager,
      );
      await this.audit.record(
        {
          action: 'rollout.readiness_thresholds_changed',
          entityType: 'rollout',
          entityId: rollout.id,
          details: { from, to: overrides },
        },
        manager,
      );
      return thresholdsView(rollout);
    });
  }

  /** Queues a new build; the job is enqueued once the row is committed. */
  async request(rolloutId: string): Promise<ReadinessReportView> {
    const report = await this.tenancy.transaction(async (manager) => {
      const rollout = await this.rollouts.get(rolloutId, manager);
      const row = await this.store.createReadinessReport(
        {
        organizationId: rollout.organizationId,
        rolloutId: rollout.id,
        status: 'queued',
        progress: 0,
        },
        manager,
      );
      await this.audit.record(
        { action: 'readiness_report.requested', entityType: 'readiness_report', entityId: row.id },
        manager,
      );
      return row;
    });
    // Every build is its own row; the generation moves only when a lost job is queued anew.
    await this.producer.enqueue(JobName.BuildReport, {
      kind: 'readiness',
      reportId: report.id,
      generation: report.generation,
    });
    return this.view(report);
  }

  async latest(rolloutId: string): Promise<ReadinessReportView> {
    await this.rollouts.get(rolloutId);
    const report = await this.store.latestReadinessReport(rolloutId);
    if (!report) throw new NotFoundError('readiness report');
    return this.view(report);
  }

  async get(id: string): Promise<ReadinessReportView> {
    return this.view(await this.store.getReadinessReport(id));
  }

  /** The build-report job: runs as the report's workspace; a report already built is left alone. */
  @BuildsReport('readiness')
  async build(reportId: string): Promise<void> {
    const row = await this.store.readinessReportForBuild(reportId);
    if (!row || row.status === 'ready') return;
    await this.context.run(systemActor(row.workspaceId), () => this.buildAs(row));
  }

  private async buildAs(row: ReadinessReport): Promise<void> {
    const update = (patch: Partial<ReadinessReport>) => this.store.updateReadinessReport(row, patch);
    try {
      await update({ status: 'building', progress: 10, lastError: null });
      const rollout = await this.rollouts.get(row.rolloutId);
      const organization = await this.organizations.get(rollout.organizationId);
      const thresholds = effectiveThresholds(rollout.readinessThresholds);

      const evidence = await this.evidence.forRollout(row.workspaceId, rollout.id);
      await update({ progress: 50 });
      const waveEvidence = await this.evidence.forNextWave(row.workspaceId, rollout.id);
      await update({ progress: 70 });

      const nextWave = proposeNextWave({
        targetHeadcount: rollout.targetHeadcount,
        sector: organization.sector,
        wave: waveEvidence,
        thresholds,
        startQuarter: this.startQuarter(evidence.pilots.map((p) => p.report.quarterLabel)),
      });
      const gates = judgeGates(evidence, nextWave, waveEvidence, thresholds);
      const { verdict, conditions } = verdictOf(gates);
      const builtAt = this.clock.now();
      const content: ReadinessReportContent = {
        version: 1,
        builtAt: builtAt.toISOString(),
        organization: { id: organization.id, name: organization.name, headcount: organization.headcount },
        rollout: {
          id: rollout.id,
          goal: rollout.goal,
          targetHeadcount: rollout.targetHeadcount,
          plannedWaves: rollout.plannedWaves,
          status: rollout.status,
        },
        thresholds: thresholds as Record<string, number>,
        gates,
        verdict,
        conditions,
        nextWave,
      };
      await update({ status: 'ready', progress: 100, verdict, content, builtAt, lastError: null });
    } catch (error) {
      // Recorded for the reader; rethrown so the queue retries (a retry starts the build over).
      await update({ status: 'failed', lastError: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    await this.builds.built('readiness', row.id);
  }

  /** The quarter after the latest one the pilots reported on; without reports, the next calendar quarter. */
  private startQuarter(reportedLabels: string[]): string {
    const latest = [...reportedLabels].sort().at(-1);
    const now = this.clock.now();
    const from = (latest && parseQuarterLabel(latest)) || {
      year: now.getUTCFullYear(),
      quarter: (Math.floor(now.getUTCMonth() / 3) + 1) as 1 | 2 | 3 | 4,
    };
    return formatQuarterLabel(nextQuarter(from));
  }

  private async view(report: ReadinessReport): Promise<ReadinessReportView> {
    return {
      id: report.id,
      rolloutId: report.rolloutId,
      organizationId: report.organizationId,
      status: report.status,
      progress: report.progress,
      verdict: report.verdict,
      lastError: report.lastError,
      createdAt: report.createdAt,
      builtAt: report.builtAt,
      content: report.status === 'ready' ? (report.content as ReadinessReportContent) : null,
      decision: await this.decisions.latestFor(report.id),
    };
  }
}

const thresholdsView = (rollout: Rollout): ThresholdsView => ({
  thresholds: effectiveThresholds(rollout.readinessThresholds),
  overrides: { ...(rollout.readinessThresholds as ReadinessThresholds) },
});
