import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { OnBeat } from '../common/reactions';
import { OutboxService } from '../delivery';
import { CheckInService } from '../okrs';
import { PlanningService } from '../planning';
import { ReportSharing } from '../reports';
import { WebhookService } from '../webhooks';
import { AuthService } from '../workspaces';
import { RETENTION_BATCH, RETENTION_RULES, RetentionRuleName } from './retention-rules';
import { RetentionStore } from './retention.store';

const DAY_MS = 24 * 3600 * 1000;
const RUN = 'daily';

/** One batch of a rule: deletes up to `limit` rows older than `cutoff`, says how many. */
type Purge = (cutoff: Date, limit: number) => Promise<number>;

/**
 * Enforces the retention periods once a day (the first beat of a UTC day claims the run; other workers
 * and later beats find it taken). Each rule deletes in batches through the table's owner until a batch
 * comes back short, so no statement holds many rows' locks for long.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);
  private readonly purges: Record<RetentionRuleName, Purge>;

  constructor(
    private readonly store: RetentionStore,
    private readonly clock: Clock,
    outbox: OutboxService,
    webhooks: WebhookService,
    checkIns: CheckInService,
    planning: PlanningService,
    auth: AuthService,
    shares: ReportSharing,
  ) {
    this.purges = {
      outboxMessages: (cutoff, limit) => outbox.purgeFinished(cutoff, limit),
      webhookDeliveries: (cutoff, limit) => webhooks.purgeFinished(cutoff, limit),
      checkInTokens: (cutoff, limit) => checkIns.purgeExpiredTokens(cutoff, limit),
      planningTokens: (cutoff, limit) => planning.purgeExpiredTokens(cutoff, limit),
      credentialTokens: (cutoff, limit) => auth.purgeExpiredTokens(cutoff, limit),
      reportShares: (cutoff, limit) => shares.purgeExpired(cutoff, limit),
    };
  }

  /** The beat's share: today's run if no worker has done it yet; how many rows it deleted. */
  @OnBeat('retentionApplied')
  async applyDaily(): Promise<number> {
    const now = this.clock.now();
    if (!(await this.store.claimDay(RUN, now.toISOString().slice(0, 10)))) return 0;
    const deleted = await this.apply(now);
    await this.store.recordDeleted(RUN, deleted);
    const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
    if (total) this.logger.log({ deleted }, 'retention applied');
    return total;
  }

  /** Every rule at `now`, in batches of `batch` rows; rows deleted per rule. */
  async apply(now: Date, batch = RETENTION_BATCH): Promise<Record<RetentionRuleName, number>> {
    const deleted = {} as Record<RetentionRuleName, number>;
    for (const name of Object.keys(RETENTION_RULES) as RetentionRuleName[]) {
      const cutoff = new Date(now.getTime() - RETENTION_RULES[name].days * DAY_MS);
      deleted[name] = 0;
      for (;;) {
        const n = await this.purges[name](cutoff, batch);
        deleted[name] += n;
        if (n < batch) break;
      }
    }
    return deleted;
  }
}
