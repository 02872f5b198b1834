import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OUTBOX_STATUSES, OutboxStatus, Quarter } from '@luotsi/database';
import { Clock } from '../common/clock';
import { returned } from '../common/sql';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit/audit-log.service';
import { OutboxService } from './outbox.service';

export type StatusCounts = Record<OutboxStatus, number>;

export interface DeliveryReport {
  quarterId: string;
  counts: StatusCounts;
  steps: {
    stepKey: string;
    kind: string;
    stepDate: string;
    dispatchedAt: Date;
    recipients: number;
    skippedReason: string | null;
    counts: StatusCounts;
  }[];
  failed: {
    id: string;
    stepKey: string | null;
    participantId: string | null;
    memberId: string | null;
    email: string | null;
    attempts: number;
    lastError: string | null;
    updatedAt: Date;
  }[];
  deferred: number;
  nextDueAt: Date | null;
}

const zero = (): StatusCounts => Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as StatusCounts;

/** What the coach sees of a quarter's mail: counts by status and step, the failures with reasons, retry. */
@Injectable()
export class DeliveryReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: Tenancy,
    private readonly audit: AuditLog,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async report(quarterId: string): Promise<DeliveryReport> {
    const quarter = await this.tenancy.repo(Quarter, 'quarter').get(quarterId);
    const ws = quarter.workspaceId;
    const byStep: { step_key: string; status: OutboxStatus; n: number }[] = await this.dataSource.query(
      `SELECT step_key, status, count(*)::int AS n FROM outbox_message WHERE quarter_id = $1 AND workspace_id = $2 GROUP BY 1, 2`,
      [quarter.id, ws],
    );
    const dispatches = await this.dataSource.query(
      `SELECT step_key AS "stepKey", kind, to_char(step_date, 'YYYY-MM-DD') AS "stepDate", dispatched_at AS "dispatchedAt",
              recipients, skipped_reason AS "skippedReason"
       FROM cadence_dispatch WHERE quarter_id = $1 AND workspace_id = $2 ORDER BY step_date, step_key`,
      [quarter.id, ws],
    );
    const failed = await this.dataSource.query(
      `SELECT o.id, o.step_key AS "stepKey", o.participant_id AS "participantId", o.member_id AS "memberId",
              coalesce(p.email, m.email) AS email, o.attempts, o.last_error AS "lastError", o.updated_at AS "updatedAt"
       FROM outbox_message o LEFT JOIN participant p ON p.id = o.participant_id LEFT JOIN member m ON m.id = o.member_id
       WHERE o.quarter_id = $1 AND o.workspace_id = $2 AND o.status = 'failed'
       ORDER BY o.updated_at DESC LIMIT 500`,
      [quarter.id, ws],
    );
    const [next] = await this.dataSource.query(
      `SELECT min(coalesce(deferred_until, due_at)) AS "nextDueAt" FROM outbox_message
       WHERE quarter_id = $1 AND workspace_id = $2 AND status IN ('pending', 'deferred')`,
      [quarter.id, ws],
    );
    const counts = zero();
    for (const { status, n } of byStep) counts[status] += n;
    return {
      quarterId: quarter.id,
      counts,
      steps: dispatches.map((d: DeliveryReport['steps'][number]) => {
        const stepCounts = zero();
        for (const row of byStep.filter((r) => r.step_key === d.stepKey)) stepCounts[row.status] += row.n;
        return { ...d, counts: stepCounts };
      }),
      failed,
      deferred: counts.deferred,
      nextDueAt: next?.nextDueAt ?? null,
    };
  }

  /** Sends the quarter's failed messages again (all, or the given ones), now. */
  async retry(quarterId: string, ids?: string[]): Promise<{ retried: number }> {
    const retried = await this.tenancy.transaction(async (manager) => {
      const quarter = await this.tenancy.repo(Quarter, 'quarter', manager).get(quarterId);
      const rows = returned(
        await manager.query(
          `UPDATE outbox_message SET status = 'pending', attempts = 0, claimed_at = NULL, due_at = $3, updated_at = now()
         WHERE quarter_id = $1 AND workspace_id = $2 AND status = 'failed' AND ($4::uuid[] IS NULL OR id = ANY($4::uuid[]))
           AND (participant_id IS NOT NULL OR member_id IS NOT NULL)
         RETURNING id`,
          [quarter.id, quarter.workspaceId, this.clock.now(), ids ?? null],
        ),
      );
      const count = rows.length;
      await this.audit.record(
        { action: 'deliveries.retried', entityType: 'quarter', entityId: quarter.id, details: { count } },
        manager,
      );
      return count;
    });
    await this.outbox.queueDue();
    return { retried };
  }
}
