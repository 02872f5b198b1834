import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  LearningReport,
  type Locale,
  ReadinessReport,
  type ReportKind,
  type ShareAudience,
} from '@luotsi/database';
import { JobName, JobProducer } from '@luotsi/queue';
import { reconcileWaiting, WaitingRow, WaitingRows } from '../common/job-reconciler';
import { returned } from '../common/sql';
import { Tenancy } from '../tenancy/tenancy.service';
import type {
  LatestLearningReport,
  MailedReport,
  ReadyLearningReport,
  ReadyReadinessReport,
  ReportReaders,
  StoredContent,
  StoredReport,
} from './report-rows';
import { ORGANIZATION_ROWS } from '../organizations/relations';
import { PILOT_ROWS, QUARTER_ROWS } from '../pilots/relations';
import { PILOT_MEMBERSHIP_ROWS } from '../participants/relations';
import { RETROSPECTIVE_RESPONSE_ROWS, RETROSPECTIVE_ROWS } from '../surveys/relations';
import { MEMBER_ROWS, SPONSOR_GRANT_ROWS } from '../workspaces/relations';



/** What a printed PDF is kept under: one build of a report, as one audience reads it in one language. */
export interface PdfKey {
  reportId: string;
  generation: number;
  language: string;
  audience: ShareAudience;
  channel: 'account' | 'link';
}

/** A new readiness report row, queued. */
export type NewReadinessReport = Pick<ReadinessReport, 'organizationId' | 'rolloutId' | 'status' | 'progress'>;

/** A report queued or building waits on its build job; a build queued anew starts from nothing. */
const building = (kind: ReportKind, table: string): WaitingRows<JobName.BuildReport, WaitingRow> => ({
  table,
  waiting: `t.status IN ('queued', 'building')`,
  reset: `status = 'queued', progress = 0`,
  job: JobName.BuildReport,
  payload: (row) => ({ kind, reportId: row.id, generation: row.generation }),
});

const BUILDS = [building('learning', 'learning_report'), building('readiness', 'readiness_report')];

const LABEL: Record<ReportKind, string> = { learning: 'learning report', readiness: 'readiness report' };

/**
 * Each pilot of the rollout with its latest ready learning report (the highest quarter number), in
 * wave and name order.
 */
const LATEST_REPORTS = `
  SELECT * FROM (
    SELECT DISTINCT ON (lr.pilot_id)
           lr.id AS report_id, lr.pilot_id, p.name AS pilot_name, p.wave_number, q.label AS quarter_label,
           lr.content, lr.built_at
    FROM learning_report lr
    JOIN ${PILOT_ROWS} p ON p.id = lr.pilot_id
    JOIN ${QUARTER_ROWS} q ON q.id = lr.quarter_id
    WHERE lr.workspace_id = $1 AND p.rollout_id = $2 AND lr.status = 'ready' AND lr.content IS NOT NULL
    ORDER BY lr.pilot_id, q.number DESC
  ) latest
  ORDER BY wave_number, pilot_name, pilot_id`;

/**
 * The built reports' tables (`learning_report`, `readiness_report`): the only code that reads or writes
 * them. A member's reads go through the actor's scope (`Tenancy.repo`); a build, a mail, a share link and
 * an erasure name the workspace (or the row) instead. Notes, decisions and share links have stores of
 * their own (`learning-notes.store.ts`, `rollout-decisions.store.ts`, `report-shares.store.ts`).
 */
@Injectable()
export class ReportsStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: Tenancy,
  ) {}

  private learningReports(manager?: EntityManager) {
    return this.tenancy.repo(LearningReport, LABEL.learning, manager);
  }

  private readinessReports(manager?: EntityManager) {
    return this.tenancy.repo(ReadinessReport, LABEL.readiness, manager);
  }

  /** A report of either kind, in the actor's scope. */
  getReport(kind: ReportKind, id: string): Promise<LearningReport | ReadinessReport> {
    return kind === 'learning' ? this.learningReports().get(id) : this.readinessReports().get(id);
  }

  // Learning reports

  findLearningReport(quarterId: string): Promise<LearningReport | null> {
    return this.learningReports().findOne({ quarterId });
  }

  learningReportsOfPilot(pilotId: string): Promise<LearningReport[]> {
    return this.learningReports().find({ where: { pilotId } });
  }

  /** For the build job, which runs for no actor. */
  learningReportForBuild(id: string): Promise<LearningReport | null> {
    return this.dataSource.getRepository(LearningReport).findOneBy({ id });
  }

  /**
   * Upserts the quarter's report row as queued under a new generation, in the caller's transaction; null
   * when the workspace has no such quarter.
   */
  async queueLearningReport(
    manager: EntityManager,
    workspaceId: string,
    quarterId: string,
    requestedAt: Date,
  ): Promise<{ id: string; generation: number } | undefined> {
    const [row] = returned<{ id: string; generation: number }>(
      await manager.query(
        `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, generation, progress, requested_at)
         SELECT q.workspace_id, q.organization_id, q.pilot_id, q.id, 'queued', 1, 0, $3
         FROM ${QUARTER_ROWS} q WHERE q.workspace_id = $1 AND q.id = $2
         ON CONFLICT (quarter_id) DO UPDATE
           SET status = 'queued', generation = learning_report.generation + 1, progress = 0, stage = NULL,
               last_error = NULL, requested_at = excluded.requested_at, updated_at = now()
         RETURNING id, generation`,
        [workspaceId, quarterId, requestedAt],
      ),
    );
    return row;
  }

  /** Records how far a build is; false when the row's generation moved on. */
  async stageLearningBuild(id: string, generation: number, progress: number, stage: string): Promise<boolean> {
    const updated = returned(
      await this.dataSource.query(
        `UPDATE learning_report SET status = 'building', progress = $3, stage = $4, updated_at = now()
         WHERE id = $1 AND generation = $2 RETURNING id`,
        [id, generation, progress, stage],
      ),
    );
    return updated.length > 0;
  }

  /** Stores a build's content as ready; false when the row's generation moved on. */
  async storeLearningContent(id: string, generation: number, content: object, builtAt: Date): Promise<boolean> {
    const stored = returned(
      await this.dataSource.query(
        `UPDATE learning_report
           SET status = 'ready', progress = 100, stage = NULL, content = $3::jsonb, built_at = $4,
               last_error = NULL, updated_at = now()
           WHERE id = $1 AND generation = $2 RETURNING id`,
        [id, generation, JSON.stringify(content), builtAt],
      ),
    );
    return stored.length > 0;
  }

  async failLearningBuild(id: string, generation: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE learning_report SET status = 'failed', last_error = $3, updated_at = now()
         WHERE id = $1 AND generation = $2`,
      [id, generation, error],
    );
  }

  async readyLearningReport(id: string): Promise<ReadyLearningReport | undefined> {
    const [report]: ReadyLearningReport[] = await this.dataSource.query(
      `SELECT workspace_id, organization_id, pilot_id, quarter_id, generation, built_at
         FROM learning_report WHERE id = $1 AND status = 'ready'`,
      [id],
    );
    return report;
  }

  /** Each pilot of the rollout with its latest ready learning report, in wave and name order. */
  latestLearningReports(workspaceId: string, rolloutId: string): Promise<LatestLearningReport[]> {
    return this.dataSource.query(LATEST_REPORTS, [workspaceId, rolloutId]);
  }

  // Readiness reports

  createReadinessReport(values: NewReadinessReport, manager?: EntityManager): Promise<ReadinessReport> {
    return this.readinessReports(manager).create(values);
  }

  async latestReadinessReport(rolloutId: string): Promise<ReadinessReport | undefined> {
    const [report] = await this.readinessReports().find({
      where: { rolloutId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: 1,
    });
    return report;
  }

  getReadinessReport(id: string, options: { lock?: boolean } = {}, manager?: EntityManager): Promise<ReadinessReport> {
    return this.readinessReports(manager).get(id, options);
  }

  /** For the build job, which runs for no actor. */
  readinessReportForBuild(id: string): Promise<ReadinessReport | null> {
    return this.dataSource.getRepository(ReadinessReport).findOne({ where: { id } });
  }

  async updateReadinessReport(report: ReadinessReport, patch: Partial<ReadinessReport>): Promise<void> {
    await this.dataSource
      .getRepository(ReadinessReport)
      .update({ id: report.id, workspaceId: report.workspaceId }, patch as never);
  }

  async readyReadinessReport(id: string): Promise<ReadyReadinessReport | undefined> {
    const [report]: ReadyReadinessReport[] = await this.dataSource.query(
      `SELECT workspace_id, organization_id, rollout_id, verdict, built_at
       FROM readiness_report WHERE id = $1 AND status = 'ready'`,
      [id],
    );
    return report;
  }

  /** A report for a share link, with its organization's language: the link names the workspace. */
  async reportForShare(
    kind: ReportKind,
    workspaceId: string,
    reportId: string,
  ): Promise<(StoredReport & { locale: Locale }) | undefined> {
    const table = kind === 'learning' ? 'learning_report' : 'readiness_report';
    const [row]: (StoredReport & { locale: Locale })[] = await this.dataSource.query(
      `SELECT r.id, r.generation, r.workspace_id AS "workspaceId", r.status, r.progress, r.content,
              r.built_at AS "builtAt", r.organization_id AS "organizationId", o.default_locale AS locale
       FROM ${table} r JOIN ${ORGANIZATION_ROWS} o ON o.id = r.organization_id
       WHERE r.workspace_id = $1 AND r.id = $2`,
      [workspaceId, reportId],
    );
    return row;
  }

  // The report mail

  /** A ready report with the quarter its mail hangs on and its readers. */
  async readers(kind: ReportKind, reportId: string): Promise<ReportReaders | undefined> {
    const [report]: ReportReaders[] =
      kind === 'learning'
        ? await this.dataSource.query(
            `SELECT lr.workspace_id AS "workspaceId", lr.quarter_id AS "quarterId", lr.pilot_id AS "pilotId",
                  lr.organization_id AS "organizationId", p.coach_id AS "coachId"
           FROM learning_report lr JOIN ${PILOT_ROWS} p ON p.id = lr.pilot_id
           WHERE lr.id = $1 AND lr.status = 'ready'`,
            [reportId],
          )
        : await this.dataSource.query(
            `SELECT r.workspace_id AS "workspaceId", l.id AS "quarterId", l.pilot_id AS "pilotId",
                  r.organization_id AS "organizationId", NULL AS "coachId"
           FROM readiness_report r
           CROSS JOIN LATERAL (
             SELECT q.id, q.pilot_id FROM ${QUARTER_ROWS} q JOIN ${PILOT_ROWS} p ON p.id = q.pilot_id
             WHERE p.rollout_id = r.rollout_id
             ORDER BY (q.state <> 'upcoming') DESC, q.starts_on DESC, q.id
             LIMIT 1) l
           WHERE r.id = $1 AND r.status = 'ready'`,
            [reportId],
          );
    return report;
  }

  /** A mailed report, and whether the member is still its coach (learning) or a granted sponsor. */
  async mailedReport(
    manager: EntityManager,
    kind: ReportKind,
    workspaceId: string,
    reportId: string,
    memberId: string,
  ): Promise<MailedReport | undefined> {
    const [report]: MailedReport[] =
      kind === 'learning'
        ? await manager.query(
            `SELECT lr.organization_id AS "organizationId", lr.status, p.coach_id = $3 AS entitled
             FROM learning_report lr JOIN ${PILOT_ROWS} p ON p.id = lr.pilot_id
             WHERE lr.workspace_id = $1 AND lr.id = $2`,
            [workspaceId, reportId, memberId],
          )
        : await manager.query(
            `SELECT rr.organization_id AS "organizationId", rr.rollout_id AS "rolloutId", rr.status,
                    EXISTS (SELECT 1 FROM ${SPONSOR_GRANT_ROWS} g JOIN ${MEMBER_ROWS} m ON m.id = g.member_id
                            WHERE g.member_id = $3 AND g.organization_id = rr.organization_id
                              AND m.role = 'sponsor') AS entitled,
                    EXISTS (SELECT 1 FROM ${MEMBER_ROWS} m
                            WHERE m.id = $3 AND m.accepted_at IS NOT NULL) AS "hasAccount"
             FROM readiness_report rr WHERE rr.workspace_id = $1 AND rr.id = $2`,
            [workspaceId, reportId, memberId],
          );
    return report;
  }

  // Builds lost with Redis

  /** Queues anew the builds whose job Redis no longer holds (see `reconcileWaiting`). */
  async requeueStaleBuilds(producer: JobProducer, olderThanMs: number): Promise<number> {
    let total = 0;
    for (const builds of BUILDS) total += await reconcileWaiting(this.dataSource, producer, builds, olderThanMs);
    return total;
  }

  // An erasure

  /**
   * The stored reports that can hold a person, locked: learning reports of the quarters they answered
   * in, and reports of either kind whose content names their id, address or name (`search`: workspace,
   * id, address and name as they appear inside JSON text).
   */
  async reportsHolding(
    manager: EntityManager,
    search: [workspaceId: string, personId: string, email: string, name: string],
  ): Promise<{ learning: StoredContent[]; readiness: StoredContent[] }> {
    const named = `(strpos(content::text, $2::text) > 0 OR strpos(lower(content::text), lower($3::text)) > 0
                  OR (length($4::text) >= 3 AND strpos(content::text, $4::text) > 0))`;
    const learning: StoredContent[] = await manager.query(
      `SELECT id, content FROM learning_report
     WHERE workspace_id = $1 AND content IS NOT NULL
       AND (quarter_id IN (SELECT r.quarter_id FROM ${RETROSPECTIVE_RESPONSE_ROWS} rr
                           JOIN ${RETROSPECTIVE_ROWS} r ON r.id = rr.retrospective_id
                           WHERE rr.workspace_id = $1 AND rr.participant_id = $2::uuid)
            OR ${named})
     ORDER BY id FOR UPDATE`,
      search,
    );
    const readiness: StoredContent[] = await manager.query(
      `SELECT id, content FROM readiness_report
     WHERE workspace_id = $1 AND content IS NOT NULL AND ${named}
     ORDER BY id FOR UPDATE`,
      search,
    );
    return { learning, readiness };
  }

  /** Replaces a stored report's content (an erasure's redaction), and drops the PDFs printed from it. */
  async replaceContent(manager: EntityManager, kind: ReportKind, id: string, content: unknown): Promise<void> {
    const table = kind === 'learning' ? 'learning_report' : 'readiness_report';
    await manager.query(`UPDATE ${table} SET content = $2::jsonb, updated_at = now() WHERE id = $1`, [
      id,
      JSON.stringify(content),
    ]);
    await manager.query(`DELETE FROM report_pdf WHERE report_id = $1`, [id]);
  }

  // Printed PDFs

  /** The PDF printed for this generation, language, audience and channel, if there is one. */
  async printedPdf(key: PdfKey): Promise<Buffer | undefined> {
    const [row] = returned<{ pdf: Buffer }>(
      await this.dataSource.query(
        `SELECT pdf FROM report_pdf
         WHERE report_id = $1 AND generation = $2 AND language = $3 AND audience = $4 AND channel = $5`,
        [key.reportId, key.generation, key.language, key.audience, key.channel],
      ),
    );
    return row?.pdf;
  }

  /**
   * Keeps a printed PDF, unless its report has moved on to another generation (or gone) meanwhile; the
   * report's PDFs of older generations go. Two prints of the same key at once keep the first.
   */
  async keepPdf(key: PdfKey, kind: ReportKind, pdf: Buffer): Promise<void> {
    const table = kind === 'learning' ? 'learning_report' : 'readiness_report';
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO report_pdf (report_id, generation, language, audience, channel, report_kind, workspace_id, pdf)
         SELECT r.id, r.generation, $3, $4, $5, $6, r.workspace_id, $7
         FROM ${table} r WHERE r.id = $1 AND r.generation = $2 AND r.status = 'ready'
         ON CONFLICT DO NOTHING`,
        [key.reportId, key.generation, key.language, key.audience, key.channel, kind, pdf],
      );
      await manager.query(`DELETE FROM report_pdf WHERE report_id = $1 AND generation < $2`, [
        key.reportId,
        key.generation,
      ]);
    });
  }

  /**
   * Queues again, under a new generation, the learning reports queued or building for the quarters the
   * participant answered in or their pilots; returns them.
   */
  async requeueBuildsReading(
    manager: EntityManager,
    workspaceId: string,
    participantId: string,
  ): Promise<{ reportId: string; generation: number }[]> {
    return returned<{ reportId: string; generation: number }>(
      await manager.query(
        `UPDATE learning_report
     SET status = 'queued', generation = generation + 1, progress = 0, stage = NULL, updated_at = now()
     WHERE workspace_id = $1 AND status IN ('queued', 'building')
       AND (quarter_id IN (SELECT r.quarter_id FROM ${RETROSPECTIVE_RESPONSE_ROWS} rr
                           JOIN ${RETROSPECTIVE_ROWS} r ON r.id = rr.retrospective_id
                           WHERE rr.workspace_id = $1 AND rr.participant_id = $2)
            OR pilot_id IN (SELECT pilot_id FROM ${PILOT_MEMBERSHIP_ROWS} pm WHERE workspace_id = $1 AND participant_id = $2))
     RETURNING id AS "reportId", generation`,
        [workspaceId, participantId],
      ),
    );
  }
}
