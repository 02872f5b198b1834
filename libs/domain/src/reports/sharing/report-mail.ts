import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { OutboxMessage, ReportKind } from '@luotsi/database';
import { Clock } from '../../common/clock';
import { EnrichesMail, OnDomainEvent } from '../../common/reactions';
import { OutboxService } from '../../delivery/outbox.service';
import { ReportSharing, SHARE_DEFAULT_DAYS } from './report-sharing.service';

/** `report.{kind}.{reportId}.m{memberId}`: one mail per report and reader, however often it is rebuilt. */
const KEY = /^report\.(learning|readiness)\.([0-9a-f-]{36})\.m([0-9a-f-]{36})$/;

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
    const now = this.clock.now();
    const rows: { id: string }[] =
      kind === 'learning'
        ? await this.dataSource.query(
            `INSERT INTO outbox_message (workspace_id, key, quarter_id, pilot_id, kind, template, member_id, due_at, status)
             SELECT lr.workspace_id, 'report.learning.' || lr.id || '.m' || m.id, lr.quarter_id, lr.pilot_id,
                    'report', 'report-ready', m.id, $2, 'pending'
             FROM learning_report lr
             JOIN pilot p ON p.id = lr.pilot_id
             JOIN member m ON m.id = p.coach_id AND m.workspace_id = lr.workspace_id
             WHERE lr.id = $1 AND lr.status = 'ready'
             ON CONFLICT (key) DO NOTHING
             RETURNING id`,
            [reportId, now],
          )
        : await this.dataSource.query(
            `WITH report AS (
               SELECT id, workspace_id, organization_id, rollout_id FROM readiness_report
               WHERE id = $1 AND status = 'ready'
             ),
             latest AS (
               SELECT q.id, q.pilot_id FROM quarter q
               JOIN pilot p ON p.id = q.pilot_id JOIN report r ON p.rollout_id = r.rollout_id
               ORDER BY (q.state <> 'upcoming') DESC, q.starts_on DESC, q.id
               LIMIT 1
             )
             INSERT INTO outbox_message (workspace_id, key, quarter_id, pilot_id, kind, template, member_id, due_at, status)
             SELECT r.workspace_id, 'report.readiness.' || r.id || '.m' || m.id, l.id, l.pilot_id,
                    'report', 'report-ready', m.id, $2, 'pending'
             FROM report r CROSS JOIN latest l
             JOIN sponsor_grant g ON g.organization_id = r.organization_id AND g.workspace_id = r.workspace_id
             JOIN member m ON m.id = g.member_id AND m.role = 'sponsor'
             ON CONFLICT (key) DO NOTHING
             RETURNING id`,
            [reportId, now],
          );
    if (!rows.length) {
      this.logger.log(`${kind} report ${reportId}: nobody new to mail`);
      return 0;
    }
    // Due now: queue at once rather than waiting for the next scheduler tick.
    await this.outbox.queueDue();
    return rows.length;
  }

  /** Makes the share link as the mail goes; a reader who lost access meanwhile gets no mail. */
  @EnrichesMail('report')
  async enrich(
    manager: EntityManager,
    row: OutboxMessage,
  ): Promise<Record<string, unknown> | { suppress: string }> {
    const match = KEY.exec(row.key);
    if (!match) return { report: { readiness: false } }; // a `report` step of someone else's making
    const [, kind, reportId, memberId] = match as unknown as [string, ReportKind, string, string];
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
