import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { Clock } from '../common/clock';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { utcDay } from './delivery.service';
import { OutboxService } from './outbox.service';
import { OutboxStore } from './outbox.store';

/** A workspace's daily send quota as it stands today (UTC). */
export interface SendQuotaState {
  workspaceId: string;
  /** Participant mails a day. */
  daily: number;
  /** Whether that is the installation's default (DEFAULT_DAILY_SEND_QUOTA), not the workspace's own. */
  isDefault: boolean;
  /** Participant mails begun today. */
  usedToday: number;
}

/** The largest quota the operator can set. */
export const MAX_DAILY_SEND_QUOTA = 10_000_000;

/**
 * Each workspace's daily send quota: participant mails a UTC day, the installation's default
 * (DEFAULT_DAILY_SEND_QUOTA) until the operator sets the workspace's own. The send takes from it
 * (`DeliveryService`, one statement per mail's first send, after its claim); mail over it is deferred to the next day,
 * never failed. Raising the quota releases the held mail at once.
 */
@Injectable()
export class SendQuotaService {
  constructor(
    private readonly store: OutboxStore,
    private readonly outbox: OutboxService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async state(workspaceId: string): Promise<SendQuotaState> {
    const { dailyLimit, used } = await this.store.sendQuota(workspaceId, utcDay(this.clock.now()));
    return {
      workspaceId,
      daily: dailyLimit ?? this.config.sendQuota.defaultDaily,
      isDefault: dailyLimit === null,
      usedToday: used,
    };
  }

  /**
   * The operator sets a workspace's quota (`null`: back to the default). Mail it held is released and
   * queued at once; what is still over today's quota is held again until tomorrow.
   */
  async setDaily(workspaceId: string, daily: unknown): Promise<SendQuotaState & { released: number }> {
    if (
      daily !== null &&
      (typeof daily !== 'number' || !Number.isInteger(daily) || daily < 0 || daily > MAX_DAILY_SEND_QUOTA)
    )
      throw new InvalidInputError('The daily send quota must be a whole number of mails, or null.', [
        {
          field: 'daily',
          reason: `must be an integer from 0 to ${MAX_DAILY_SEND_QUOTA}, or null for the default`,
        },
      ]);
    let released: number;
    try {
      released = await this.dataSource.transaction((manager) =>
        this.store.setDailySendLimit(workspaceId, daily, manager),
      );
    } catch (error) {
      // No such workspace: the quota's row refers to it.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23503')
        throw new NotFoundError('workspace');
      throw error;
    }
    if (released) await this.outbox.queueDue();
    return { ...(await this.state(workspaceId)), released };
  }

  /** For the operator's metrics, today: mails begun against the quotas, workspaces at theirs, mail held. */
  async metrics(): Promise<{ usedToday: number; workspacesAtQuota: number; held: number }> {
    const [use, held] = await Promise.all([
      this.store.quotaUse(utcDay(this.clock.now()), this.config.sendQuota.defaultDaily),
      this.store.heldForQuotaEverywhere(),
    ]);
    return { usedToday: use.used, workspacesAtQuota: use.workspacesAtQuota, held };
  }

  /** The quarter's mail held for its workspace's quota, for the coach's delivery report. */
  heldInQuarter(workspaceId: string, quarterId: string): Promise<number> {
    return this.store.heldForQuota(workspaceId, quarterId);
  }
}
