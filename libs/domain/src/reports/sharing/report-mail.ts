import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { OutboxMessage, ReportKind } from '@luotsi/database';
import { Clock } from '../../common/clock';
import { EnrichesMail, OnDomainEvent } from '../../common/reactions';
import { OutboxService, reportOfKey } from '../../delivery';
import { ReportSharing, SHARE_DEFAULT_DAYS } from './report-sharing.service';

interface ReportReaders {
  workspaceId: string;
  quarterId: string;
  pilotId: string;
  organizationId: string;
  coachId: string | null;
}

/**
 * Mails a finished report to its readers: a learning report to the pilot's coach, a readiness report to
 * every sponsor granted the organization. Each mail is an outbox row like any other (template
 * `report-ready`, step kind `report`), so it is retried, deferred in quiet hours and visible in the
 * deliveries. The share link is made only when the mail is about to go, by the enricher, so its raw
 * token exists in that message and nowhere else.
 *
 * The outbox reads a member's language and time zone through the row's quarter: a learning report has
 * its own; a readiness report is about a whole rollout, so its mail hangs on the rollout's latest
 * started quarter (a rollout without one has nothing to report on and sends nothing).
 */
@Injectable()
export class ReportMail {
  private readonly logger = new Logger(ReportMail.name);

  constructor(
    private readonly outbox: OutboxService,
    private readonly sharing: ReportSharing,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Adds the outbox rows for a report just built and queues them; returns how many were new. Runs
   * after the build's webhooks are announced.
   */
  @OnDomainEvent('report.built', { order: 1 })
  async queue(kind: ReportKind, reportId: string): Promise<number> {
    const [report] = await this.readers(kind, reportId);
    const count = report
      ? await this.outbox.fanOut(
          {
            workspaceId: report.workspaceId,
            quarterId: report.quarterId,
            pilotId: report.pilotId,
            kind: 'report',
            template: 'report-ready',
            origin: { report: kind, reportId },
            due: { at: this.clock.now() },
          },
          kind === 'learning'
            ? { members: report.coachId ? [report.coachId] : [] }
            : { sponsorsOf: report.organizationId },
        )
      : 0;
    if (!count) {
      this.logger.log(`${kind} report ${reportId}: nobody new to mail`);
      return 0;
    }
    // Due now: queue at once rather than waiting for the next scheduler tick.
    await this.outbox.queueDue();
    return count;
  }

  /**
   * A ready report with the quarter its mail hangs on and its readers: the pilot's coach for a learning
   * report, the organization's sponsors for a readiness report.
   */
  private readers(kind: ReportKind, reportId: string): Promise<ReportReaders[]> {
    return kind === 'learning'
      ? this.dataSource.query(
          `SELECT lr.workspace_id AS "workspaceId", lr.quarter_id AS "quarterId", lr.pilot_id AS "pilotId",
                  lr.organization_id AS "organizationId", p.coach_id AS "coachId"
           FROM learning_report lr JOIN pilot p ON p.id = lr.pilot_id
           WHERE lr.id = $1 AND lr.status = 'ready'`,
          [reportId],
        )
      : this.dataSource.query(
          `SELECT r.workspace_id AS "workspaceId", l.id AS "quarterId", l.pilot_id AS "pilotId",
                  r.organization_id AS "organizationId", NULL AS "coachId"
           FROM readiness_report r
           CROSS JOIN LATERAL (
             SELECT q.id, q.pilot_id FROM quarter q JOIN pilot p ON p.id = q.pilot_id
             WHERE p.rollout_id = r.rollout_id
             ORDER BY (q.state <> 'upcoming') DESC, q.starts_on DESC, q.id
             LIMIT 1) l
           WHERE r.id = $1 AND r.status = 'ready'`,
          [reportId],
        );
  }

  /** Makes the share link as the mail goes; a reader who lost access meanwhile gets no mail. */
  @EnrichesMail('report')
  async enrich(
    manager: EntityManager,
    row: OutboxMessage,
  ): Promise<Record<string, unknown> | { suppress: string }> {
    const mailed = reportOfKey(row.key);
    if (!mailed) return { report: { readiness: false } }; // a `report` step of someone else's making
    const { kind, reportId, memberId } = mailed;
    const [report]: { organizationId: string; status: string; entitled: boolean }[] =
      kind === 'learning'
        ? await manager.query(
            `SELECT lr.organization_id AS "organizationId", lr.status, p.coach_id = $3 AS entitled
             FROM learning_report lr JOIN pilot p ON p.id = lr.pilot_id
             WHERE lr.workspace_id = $1 AND lr.id = $2`,
            [row.workspaceId, reportId, memberId],
          )
        : await manager.query(
            `SELECT rr.organization_id AS "organizationId", rr.status,
                    EXISTS (SELECT 1 FROM sponsor_grant g JOIN member m ON m.id = g.member_id
                            WHERE g.member_id = $3 AND g.organization_id = rr.organization_id
                              AND m.role = 'sponsor') AS entitled
             FROM readiness_report rr WHERE rr.workspace_id = $1 AND rr.id = $2`,
            [row.workspaceId, reportId, memberId],
          );
    if (!report || report.status !== 'ready') return { suppress: 'the report is no longer available' };
    if (!report.entitled)
      return {
        suppress:
          kind === 'learning' ? "no longer the pilot's coach" : 'no longer a sponsor of the organization',
      };
    const { url } = await this.sharing.issue(manager, {
      workspaceId: row.workspaceId,
      organizationId: report.organizationId,
      reportKind: kind,
      reportId,
      audience: kind === 'learning' ? 'coach' : 'sponsor',
      days: SHARE_DEFAULT_DAYS,
      createdById: null,
    });
    return { links: { action: url }, report: { readiness: kind === 'readiness' } };
  }
}
