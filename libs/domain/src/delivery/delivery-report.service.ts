import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OUTBOX_STATUSES, OutboxStatus, Quarter } from '@luotsi/database';
import { Clock } from '../common/clock';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { OutboxService } from './outbox.service';
import { FailedMail } from './outbox-mail';
import { OutboxStore } from './outbox.store';

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
  failed: FailedMail[];
  deferred: number;
  nextDueAt: Date | null;
}

/** The failures a report lists at most, newest first. */
const FAILURES_SHOWN = 500;

const zero = (): StatusCounts => Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as StatusCounts;

/** What the coach sees of a quarter's mail: counts by status and step, the failures with reasons, retry. */
@Injectable()
export class DeliveryReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: Tenancy,
    private readonly audit: AuditLog,
    private readonly store: OutboxStore,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async report(quarterId: string): Promise<DeliveryReport> {
    const quarter = await this.tenancy.repo(Quarter, 'quarter').get(quarterId);
    const ws = quarter.workspaceId;
    const byStep = await this.store.countsByStep(ws, quarter.id);
    const dispatches = await this.dataSource.query(
      `SELECT step_key AS "stepKey", kind, to_char(step_date, 'YYYY-MM-DD') AS "stepDate", dispatched_at AS "dispatchedAt",
              recipients, skipped_reason AS "skippedReason"
       FROM cadence_dispatch WHERE quarter_id = $1 AND workspace_id = $2 ORDER BY step_date, step_key`,
      [quarter.id, ws],
    );
    const failed = await this.store.failures(ws, quarter.id, FAILURES_SHOWN);
    const nextDueAt = await this.store.nextDueAt(ws, quarter.id);
    const counts = zero();
    for (const { status, n } of byStep) counts[status] += n;
    return {
      quarterId: quarter.id,
      counts,
      steps: dispatches.map((d: DeliveryReport['steps'][number]) => {
        const stepCounts = zero();
        for (const row of byStep.filter((r) => r.stepKey === d.stepKey)) stepCounts[row.status] += row.n;
        return { ...d, counts: stepCounts };
      }),
      failed,
      deferred: counts.deferred,
      nextDueAt,
    };
  }

  /** Sends the quarter's failed messages again (all, or the given ones), now. */
  async retry(quarterId: string, ids?: string[]): Promise<{ retried: number }> {
    const retried = await this.tenancy.transaction(async (manager) => {
      const quarter = await this.tenancy.repo(Quarter, 'quarter', manager).get(quarterId);
      const count = await this.store.retryFailed(
        quarter.workspaceId,
        quarter.id,
        this.clock.now(),
        ids,
        manager,
      );
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
