import { Injectable } from '@nestjs/common';
import { OUTBOX_STATUSES, OutboxStatus, type Quarter } from '@luotsi/database';
import { Clock } from '../common/clock';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { BouncedMail, FailedMail, OutboxService, SendQuotaService, type SendQuotaState } from '../delivery';
import { PilotService } from '../pilots';
import { CadenceStore } from './cadence.store';
import type { StepDispatch } from './step-plan';

export type StatusCounts = Record<OutboxStatus, number>;

export interface DeliveryReport {
  quarterId: string;
  counts: StatusCounts;
  /**
   * Per step, besides its counts: `bounced`, how many of its sent mails came back for good; `skippedBounced`,
   * how many of its suppressed ones were not sent because the recipient's mail had bounced before.
   */
  steps: (StepDispatch & { counts: StatusCounts; bounced: number; skippedBounced: number })[];
  failed: FailedMail[];
  /** Who bounced and why: the mails that came back (`bounced`) and those skipped for it (`suppressed`). */
  bounces: BouncedMail[];
  deferred: number;
  /** Of the deferred, the mails waiting for the next day because the workspace's daily send quota is used up. */
  heldForQuota: number;
  /** The workspace's daily send quota and what it has used of today's (UTC). */
  sendQuota: Omit<SendQuotaState, 'workspaceId'>;
  nextDueAt: Date | null;
}

/** The failures a report lists at most, newest first. */
const FAILURES_SHOWN = 500;

const zero = (): StatusCounts => Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as StatusCounts;

/**
 * What the coach sees of a quarter's mail: counts by status and step, the failures with reasons, retry.
 * The steps are the cadence's dispatches; the mail is the outbox's.
 */
@Injectable()
export class DeliveryReportService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly audit: AuditLog,
    private readonly store: CadenceStore,
    private readonly pilots: PilotService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly quota: SendQuotaService,
  ) {}

  async report(quarterId: string): Promise<DeliveryReport> {
    return this.reportOf(await this.pilots.quarter(quarterId));
  }

  /**
   * The report of a quarter the caller has already read through the tenant scope. Its reads are
   * independent (no transaction), so they run side by side.
   */
  async reportOf(quarter: Quarter): Promise<DeliveryReport> {
    const ws = quarter.workspaceId;
    const [byStep, dispatches, failed, nextDueAt, bounces, heldForQuota, quota] = await Promise.all([
      this.outbox.countsByStep(ws, quarter.id),
      this.store.dispatchesOf(ws, quarter.id),
      this.outbox.failures(ws, quarter.id, FAILURES_SHOWN),
      this.outbox.nextDueAt(ws, quarter.id),
      this.outbox.bounces(ws, quarter.id, FAILURES_SHOWN),
      this.quota.heldInQuarter(ws, quarter.id),
      this.quota.state(ws),
    ]);
    const { workspaceId: _workspaceId, ...sendQuota } = quota;
    const counts = zero();
    for (const { status, n } of byStep) counts[status] += n;
    return {
      quarterId: quarter.id,
      counts,
      steps: dispatches.map((d) => {
        const stepCounts = zero();
        for (const row of byStep.filter((r) => r.stepKey === d.stepKey)) stepCounts[row.status] += row.n;
        const ofStep = bounces.filter((b) => b.stepKey === d.stepKey);
        return {
          ...d,
          counts: stepCounts,
          bounced: ofStep.filter((b) => b.kind === 'bounced').length,
          skippedBounced: ofStep.filter((b) => b.kind === 'suppressed').length,
        };
      }),
      failed,
      bounces,
      deferred: counts.deferred,
      heldForQuota,
      sendQuota,
      nextDueAt,
    };
  }

  /** Sends the quarter's failed messages again (all, or the given ones), now. */
  async retry(quarterId: string, ids?: string[]): Promise<{ retried: number }> {
    const retried = await this.tenancy.transaction(async (manager) => {
      const quarter = await this.pilots.quarter(quarterId, manager);
      const count = await this.outbox.retryFailed(
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
