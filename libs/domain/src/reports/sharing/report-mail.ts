import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { OutboxMessage, ReportKind } from '@luotsi/database';
import { AppConfig } from '@luotsi/config';
import { Clock } from '../../common/clock';
import { EnrichesMail, OnDomainEvent } from '../../common/reactions';
import { OutboxService, reportOfKey } from '../../delivery';
import { ReportsStore } from '../reports.store';
import { ReportSharing, SHARE_DEFAULT_DAYS } from './report-sharing.service';

/**
 * Mails a finished report to its readers: a learning report to the pilot's coach, a readiness report to
 * every sponsor granted the organization. Each mail is an outbox row like any other (template
 * `report-ready`, step kind `report`), so it is retried, deferred in quiet hours and visible in the
 * deliveries. The share link is made only when the mail is about to go, by the enricher, so its raw
 * token exists in that message and nowhere else.
 *
 * A sponsor with an account is sent to the console to record the decision; one without is told to ask
 * the coach for an invitation, since the link alone lets them read but not decide.
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
    private readonly store: ReportsStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Adds the outbox rows for a report just built and queues them; returns how many were new. Runs
   * after the build's webhooks are announced.
   */
  @OnDomainEvent('report.built', { order: 1 })
  async queue(kind: ReportKind, reportId: string): Promise<number> {
    const report = await this.store.readers(kind, reportId);
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

  /** Makes the share link as the mail goes; a reader who lost access meanwhile gets no mail. */
  @EnrichesMail('report')
  async enrich(
    manager: EntityManager,
    row: OutboxMessage,
  ): Promise<Record<string, unknown> | { suppress: string }> {
    const mailed = reportOfKey(row.key);
    if (!mailed) return { report: { readiness: false } }; // a `report` step of someone else's making
    const { kind, reportId, memberId } = mailed;
    const report = await this.store.mailedReport(manager, kind, row.workspaceId, reportId, memberId);
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
    if (kind === 'learning') return { links: { action: url }, report: { readiness: false, account: true } };
    // A decision is recorded in the console; a sponsor who never accepted their invitation cannot sign
    // in there, so their mail tells them how to get an account instead of where to decide.
    const account = report.hasAccount === true;
    const consoleLink = `${this.config.http.publicBaseUrl}/app/rollouts/${report.rolloutId}/readiness`;
    return { links: account ? { action: url, console: consoleLink } : { action: url }, report: { readiness: true, account } };
  }
}
