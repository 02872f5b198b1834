import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  LearningReport,
  type QuarterState,
  type Retrospective,
  type ReportStatus,
} from '@luotsi/database';
import { JobName, JobProducer } from '@luotsi/queue';
import { Clock } from '../../common/clock';
import { NotFoundError } from '../../common/errors';
import { BuildsReport, HandlesStep, OnDomainEvent } from '../../common/reactions';
import { Tenancy } from '../../tenancy/tenancy.service';
import { TenantContext } from '../../tenancy/tenant-context';
import { systemActor } from '../../tenancy/actor';
import { AuditLog } from '../../audit';
import { PilotService } from '../../pilots';
import type { DueStep } from '../../cadence';
import { PracticeSignalsService } from '../../okrs';
import { ReportBuilds } from '../report-builds';
import { ReportsStore } from '../reports.store';
import type { LearningReportContent } from '../report-content';
import { afterCommit } from './after-commit';
import { storedLearning } from './stored-learning';
import { learningFlags } from './flags';
import { LearningNoteService, LearningNoteView } from './learning-note.service';
import { LearningReportSections } from './learning-report.sections';
import { ResponseSections } from './learning-response.sections';
import { aspirationalReading, PracticeSections } from './learning-practice.sections';
import { ThemeSections } from './learning-themes.sections';
import {
  answersPublishable,
  effectiveK,
  publishableGroups,
  publishLearning,
} from '../publication/publication-policy';

export interface LearningReportView {
  id: string;
  quarterId: string;
  pilotId: string;
  organizationId: string;
  status: ReportStatus;
  /** Bumped by each request; the build job of an older generation skips. */
  generation: number;
  /** 0–100 while queued or building, with the stage being worked on. */
  progress: number;
  stage: string | null;
  requestedAt: Date;
  builtAt: Date | null;
  lastError: string | null;
  /** The stored content once ready (a sponsor's view for sponsors); null until then. */
  content: LearningReportContent | null;
  /** "What we learned", newest first; kept beside the content, never baked into it. */
  notes: LearningNoteView[];
}

export interface QuarterLearningReport {
  quarterId: string;
  quarterLabel: string;
  quarterNumber: number;
  quarterState: QuarterState;
  report: (Pick<LearningReportView, 'id'> & BuildState) | null;
}

type BuildState = Pick<
  LearningReportView,
  'status' | 'generation' | 'progress' | 'stage' | 'requestedAt' | 'builtAt'
>;

/** Where a report's build stands: what the list of a pilot's quarters shows of it, and its view. */
const buildState = (report: LearningReport): BuildState => ({
  status: report.status,
  generation: report.generation,
  progress: report.progress,
  stage: report.stage,
  requestedAt: report.requestedAt,
  builtAt: report.builtAt,
});

/** A newer request took the row over while this build ran: stop quietly, the newer job builds. */
class Superseded extends Error {}

/**
 * The learning report of a pilot quarter: requested by the coach, by the retrospective's close and by
 * the cadence's `report` step; built by the `build-report` job from set-based SQL; stored, so reading
 * it never recomputes.
 */
@Injectable()
export class LearningReportService {
  constructor(
    private readonly store: ReportsStore,
    private readonly tenancy: Tenancy,
    private readonly context: TenantContext,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly producer: JobProducer,
    private readonly builds: ReportBuilds,
    private readonly practice: PracticeSignalsService,
    private readonly sections: LearningReportSections,
    private readonly responseSections: ResponseSections,
    private readonly practiceSections: PracticeSections,
    private readonly themeSections: ThemeSections,
    private readonly notes: LearningNoteService,
    private readonly pilots: PilotService,
  ) {}

  /** A retrospective's close asks for the quarter's first build, in the closing transaction. */
  @OnDomainEvent('retrospective.closed')
  async retrospectiveClosed(manager: EntityManager, run: Retrospective): Promise<void> {
    await this.queue(manager, run.workspaceId, run.quarterId);
  }

  /** The cadence's `report` step rebuilds the quarter's report; it sends no mail of its own. */
  @HandlesStep('report')
  async reportStep(step: DueStep, manager: EntityManager): Promise<number> {
    await this.queue(manager, step.workspaceId, step.quarterId);
    return 0;
  }

  /** The coach asks for a (re)build now; the job is enqueued once the request has committed. */
  async request(quarterId: string): Promise<LearningReportView> {
    const quarter = await this.pilots.quarter(quarterId);
    await this.tenancy.transaction(async (manager) => {
      const report = await this.queue(manager, quarter.workspaceId, quarter.id);
      await this.audit.record(
        {
          action: 'learning_report.requested',
          entityType: 'learning_report',
          entityId: report.id,
          details: { quarterId: quarter.id, generation: report.generation },
        },
        manager,
      );
    });
    return this.get(quarterId);
  }

  /** Status and progress while it builds; the stored content once ready. */
  async get(quarterId: string): Promise<LearningReportView> {
    await this.pilots.quarter(quarterId);
    const report = await this.store.findLearningReport(quarterId);
    if (!report) throw new NotFoundError('learning report');
    return this.view(report, await this.notes.listForQuarter(quarterId));
  }

  /** Each quarter of the pilot with its report's status, if one was requested. */
  async listForPilot(pilotId: string): Promise<QuarterLearningReport[]> {
    const quarters = await this.pilots.listQuarters(pilotId);
    const reports = await this.store.learningReportsOfPilot(pilotId);
    return quarters.map((quarter) => {
      const report = reports.find((r) => r.quarterId === quarter.id);
      return {
        quarterId: quarter.id,
        quarterLabel: quarter.label,
        quarterNumber: quarter.number,
        quarterState: quarter.state,
        report: report ? { id: report.id, ...buildState(report) } : null,
      };
    });
  }

  /**
   * The `build-report` job: skips a generation that moved on, reports its progress as it goes, stores
   * the content and announces it. Any error marks the row failed and is rethrown, so BullMQ retries; a
   * retry that succeeds marks it ready.
   */
  @BuildsReport('learning')
  async build(reportId: string, generation: number): Promise<void> {
    const report = await this.store.learningReportForBuild(reportId);
    if (!report || report.generation !== generation) return;
    // Built already: only what follows a build (its listeners) failed last time.
    if (report.status === 'ready') return this.builds.built('learning', report.id);
    try {
      // Stored as the policy publishes it for the coach, and without its build time, so two builds of
      // the same answers are the same bytes (nothing to diff a person out of).
      const { builtAt, ...content } = publishLearning(
        await this.context.run(systemActor(report.workspaceId), () => this.compose(report)),
        'coach',
      );
      const stored = await this.store.storeLearningContent(report.id, generation, content, new Date(builtAt));
      if (!stored) return;
    } catch (error) {
      if (error instanceof Superseded) return;
      await this.store.failLearningBuild(
        report.id,
        generation,
        String(error instanceof Error ? error.message : error).slice(0, 2000),
      );
      throw error;
    }
    await this.builds.built('learning', report.id);
  }

  /**
   * Upserts the quarter's report row as queued under a new generation, in the caller's transaction, and
   * enqueues its build once that commits. The callers have scoped the quarter.
   */
  private async queue(
    manager: EntityManager,
    workspaceId: string,
    quarterId: string,
  ): Promise<{ id: string; generation: number }> {
    const row = await this.store.queueLearningReport(manager, workspaceId, quarterId, this.clock.now());
    if (!row) throw new NotFoundError('quarter');
    await afterCommit(manager, async () => {
      await this.producer.enqueue(JobName.BuildReport, {
        kind: 'learning',
        reportId: row.id,
        generation: row.generation,
      });
    });
    return row;
  }

  /** Records how far the build is; a row whose generation moved on ends this build. */
  private async stage(report: LearningReport, progress: number, stage: string): Promise<void> {
    if (!(await this.store.stageLearningBuild(report.id, report.generation, progress, stage))) throw new Superseded();
  }

  private async compose(report: LearningReport): Promise<LearningReportContent> {
    await this.stage(report, 10, 'response');
    const subject = await this.sections.subject(report.workspaceId, report.quarterId);
    const response = await this.responseSections.response(subject);

    await this.stage(report, 40, 'questions');
    // Answers of an anonymous or confidential run are not even read before it closes.
    const publishable = answersPublishable(subject.run);
    const levels = response.byLevel.map((entry) => entry.level);
    const questions = publishable ? await this.responseSections.questions(subject, levels) : [];
    const nps = publishable ? await this.responseSections.nps(subject) : null;
    const adkar = publishable ? await this.responseSections.adkar(subject) : [];

    await this.stage(report, 60, 'practice');
    const signals = await this.practice.forQuarter(subject.quarter.id);
    const scoreBands = await this.practiceSections.scoreBands(subject);

    await this.stage(report, 80, 'comparison');
    const comparison = await this.practiceSections.comparison(subject, (quarterId) =>
      quarterId === subject.quarter.id ? Promise.resolve(signals) : this.practice.forQuarter(quarterId),
    );

    await this.stage(report, 90, 'themes');
    // Quotes come only from the levels the response breakdown shows.
    const quotable = publishableGroups(
      response.byLevel.map((entry) => ({ key: entry.level, n: 'count' in entry ? entry.count : null })),
      response.count,
      effectiveK(subject.run?.minGroupSize),
    );
    const themes = await this.themeSections.themes(subject, [...quotable]);
    const flags = learningFlags({
      quarterNumber: subject.quarter.number,
      keyResults: signals.confidence.length,
      withoutMovement: signals.noMovement.length,
      objectives: await this.practiceSections.objectiveRefresh(subject),
      response: subject.run ? response : null,
      confidence: await this.themeSections.confidence(subject),
    });
    const dialogue = await this.practiceSections.dialogue(subject);

    return {
      version: 2,
      builtAt: this.clock.now().toISOString(),
      organization: subject.organization,
      rollout: subject.rollout,
      pilot: subject.pilot,
      quarter: subject.quarter,
      retrospective: subject.run
        ? {
            id: subject.run.id,
            anonymity: subject.run.anonymity,
            minGroupSize: subject.run.minGroupSize,
            state: subject.run.state,
          }
        : null,
      response,
      questions,
      nps,
      adkar,
      practice: { ...signals, scoreBands, aspirationalReading: aspirationalReading(signals.aspirational.average) },
      comparison,
      themes,
      flags,
      dialogue,
    };
  }

  private view(report: LearningReport, notes: LearningNoteView[]): LearningReportView {
    const sponsor = this.tenancy.actor.role === 'sponsor';
    const content = report.status === 'ready' ? storedLearning(report) : null;
    return {
      id: report.id,
      quarterId: report.quarterId,
      pilotId: report.pilotId,
      organizationId: report.organizationId,
      ...buildState(report),
      lastError: sponsor ? null : report.lastError,
      content: content && publishLearning(content, sponsor ? 'sponsor' : 'coach'),
      notes,
    };
  }
}

