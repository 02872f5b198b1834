import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { Locale, OutboxMessage } from '@luotsi/database';
import {
  MailDeliveryError,
  MailRenderer,
  MailTransport,
  senderDomain,
  TemplateContent,
  TemplateName,
} from '@luotsi/mail';
import { Clock } from '../common/clock';
import { Reactions } from '../common/reactions';
import { RetryableError } from '../common/errors';
import { newToken } from '../common/tokens';
import { bouncedReason, MAIL_REFERENCE_HEADER, mailReference, verpAddress } from './bounce-reference';
import { classifyDeliveryFailure, describeDeliveryFailure } from './delivery-failure';
import { quietPeriodEndsAt } from '../common/quiet-periods';
import { quietUntil, WEEK_MS } from './nudge-hygiene';
import { ClaimRead, OutboxPatch } from './outbox-mail';
import { OutboxStore, SEND_QUOTA_REASON } from './outbox.store';
import { QuotaTakes } from './quota-takes';

/** How often, and how far apart (times the attempt), a sent mail's record is tried before giving up. */
const RECORD_ATTEMPTS = 5;
const RECORD_BACKOFF_MS = 200;

export type DeliveryOutcome = 'sent' | 'skipped' | 'deferred' | 'suppressed' | 'failed';

/** A transient failure (SMTP 4xx, no connection, a send in flight elsewhere): the job is retried. */
export class RetryableDeliveryError extends RetryableError {}

interface Recipient {
  email: string;
  name: string;
  locale: Locale;
  timeZone: string;
  participantId: string | null;
  unsubscribedAt: Date | null;
}

interface Claimed {
  row: OutboxMessage;
  /**
   * The workspace's daily send quota to take this mail from, once claimed: a participant mail's first
   * send (a retry took it already); null for anything else.
   */
  quota: number | null;
  recipient: Recipient;
  data: Record<string, unknown>;
  /** The workspace's own version of the template in the recipient's locale, if it has one. */
  override: TemplateContent | null;
}

/**
 * Sends one outbox row: claim it (skipping what is done, deferring what nudge hygiene holds back),
 * render it in the recipient's language, send it, record the result. The row is the truth; a job
 * only asks for this to happen. A kind's own data comes from its `@EnrichesMail` handler; a final
 * failure is announced as `delivery.failed`.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);
  /** The domain of Message-IDs (`<{row id}@{domain}>`). */
  private readonly domain: string;
  /** This process's sends take from their workspaces' quotas together, a batch per statement. */
  private readonly quotaTakes: QuotaTakes;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: OutboxStore,
    private readonly clock: Clock,
    private readonly renderer: MailRenderer,
    private readonly transport: MailTransport,
    private readonly config: AppConfig,
    private readonly reactions: Reactions,
  ) {
    this.domain = senderDomain(config.mail.from);
    this.quotaTakes = new QuotaTakes((workspaceId, day, limit, wanted) =>
      store.takeFromQuota(workspaceId, day, limit, wanted),
    );
  }

  async deliver(outboxId: string, generation: number, attempt: { final: boolean }): Promise<DeliveryOutcome> {
    const claim = await this.dataSource.transaction((manager) => this.claim(manager, outboxId, generation));
    if (typeof claim === 'string') return claim;
    const { row, recipient, data, override } = claim;
    if (claim.quota !== null && !(await this.takeFromQuota(row, claim.quota))) return 'deferred';

    let mail;
    try {
      mail = this.renderer.render(
        row.template as TemplateName,
        recipient.locale,
        data,
        override ?? undefined,
      );
    } catch (error) {
      await this.finish(row, {
        status: 'failed',
        lastError: `template error: ${(error as Error).message}`.slice(0, 1000),
      });
      return 'failed';
    }

    // The signed reference a bounce names the message by: returned with its headers, and in the VERP sender.
    const headers: Record<string, string> = {
      'X-Luotsi-Message': row.key,
      [MAIL_REFERENCE_HEADER]: mailReference(row.id, this.config.mail.bounceKey),
    };
    const bounceDomain = this.config.mail.bounceDomain;
    const links = data.links as { unsubscribe?: string };
    if (links.unsubscribe) {
      headers['List-Unsubscribe'] = `<${links.unsubscribe}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    let sent: { sentAt: Date; messageId: string };
    try {
      const result = await this.transport.send({
        to: recipient.email,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: `<${row.id}@${this.domain}>`,
        headers,
        envelopeFrom: bounceDomain
          ? verpAddress(row.id, this.config.mail.bounceKey, bounceDomain)
          : undefined,
      });
      sent = { sentAt: this.clock.now(), messageId: result.messageId };
    } catch (error) {
      const failure =
        error instanceof MailDeliveryError ? error : new MailDeliveryError(String(error), false);
      if (failure.permanent) {
        await this.finish(row, { status: 'failed', lastError: failure.message, claimedAt: null });
        return 'failed';
      }
      if (attempt.final) {
        await this.finish(row, {
          status: 'failed',
          lastError: `gave up after ${row.attempts} attempts: ${failure.message}`,
          claimedAt: null,
        });
        return 'failed';
      }
      await this.finish(row, { lastError: failure.message, claimedAt: null });
      // The row keeps the server's words for the coach; the queue (Redis, the board) only the category.
      throw new RetryableDeliveryError(describeDeliveryFailure(classifyDeliveryFailure(failure.message)));
    }
    await this.recordSent(row, sent);
    return 'sent';
  }

  /**
   * The mail has gone: recording that must not fail on a passing database error (a lost connection, a
   * lock timeout), or the claim would lapse and a later run send it again. Tried a few times, then the
   * error is rethrown as any other.
   */
  private async recordSent(row: OutboxMessage, sent: { sentAt: Date; messageId: string }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.finish(row, { status: 'sent', ...sent, lastError: null });
      } catch (error) {
        if (attempt >= RECORD_ATTEMPTS) throw error;
        this.logger.warn(`outbox ${row.id} sent; recording it failed (attempt ${attempt}), trying again`);
        await new Promise((resolve) => setTimeout(resolve, RECORD_BACKOFF_MS * attempt));
      }
    }
  }

  private async claim(
    manager: EntityManager,
    outboxId: string,
    generation: number,
  ): Promise<Claimed | DeliveryOutcome> {
    // One statement: the row locked, the participant's cap lock taken, and everything the send reads.
    const read = await this.store.claimRead(outboxId, manager);
    // Done already, or queued anew under another generation (whose own job will do it).
    if (!read || read.status !== 'queued' || read.generation !== generation) return 'skipped';
    const row = outboxRow(read);
    const now = this.clock.now();
    // A claim younger than the timeout belongs to a send still in flight elsewhere (e.g. a job re-added
    // after Redis lost it while its first run goes on); an older one died with its worker.
    if (row.claimedAt && now.getTime() - row.claimedAt.getTime() < this.config.mail.claimTimeoutMs) {
      throw new RetryableDeliveryError('another worker is sending this message right now');
    }

    if (!read.recipientFound || !read.factsFound) {
      await this.store.update(
        row,
        {
          status: 'failed',
          lastError: 'the recipient no longer exists (erased or removed)',
        },
        manager,
      );
      return 'failed';
    }
    const recipient: Recipient = {
      email: read.email,
      name: read.name,
      locale: read.locale,
      timeZone: read.timeZone,
      participantId: row.participantId,
      unsubscribedAt: read.unsubscribedAt,
    };
    if (recipient.unsubscribedAt) {
      await this.store.update(row, { status: 'suppressed', lastError: null }, manager);
      return 'suppressed';
    }
    // Their mail came back for good since this row was written: it would come back too.
    if (read.recipientBouncedAt) {
      const lastError = bouncedReason(read.recipientBounceReason ?? '');
      await this.store.update(row, { status: 'suppressed', lastError }, manager);
      return 'suppressed';
    }

    // A participant's mail written before its organization's quiet period was set waits it out.
    const holiday = row.participantId
      ? quietPeriodEndsAt(now, read.organizationTimeZone, read.quietPeriods ?? [])
      : null;
    if (holiday) {
      await this.store.update(
        row,
        { status: 'deferred', deferredUntil: holiday, deferredReason: 'quiet period' },
        manager,
      );
      return 'deferred';
    }
    const quiet = quietUntil(now, recipient.timeZone, read.quietHoursStart, read.quietHoursEnd);
    if (quiet) {
      await this.store.update(
        row,
        {
          status: 'deferred',
          deferredUntil: quiet,
          deferredReason: 'quiet hours',
        },
        manager,
      );
      return 'deferred';
    }
    const participantId = recipient.participantId;
    const attempts = row.attempts + 1;
    if (participantId) {
      // The participant's lock is held since the first statement, so this count is current.
      const since = new Date(now.getTime() - WEEK_MS);
      const recent = await this.store.recentClaims(row, since, read.weeklyEmailCap, manager);
      if (recent.length >= read.weeklyEmailCap) {
        // Held back until a week after the cap-th most recent send.
        await this.store.update(
          row,
          {
            status: 'deferred',
            deferredUntil: new Date(recent[read.weeklyEmailCap - 1].claimedAt.getTime() + WEEK_MS),
            deferredReason: 'weekly cap',
          },
          manager,
        );
        return 'deferred';
      }
    }
    const enricher = this.reactions.mailEnricher(row.kind);
    const extra = enricher ? await enricher(manager, row, recipient) : {};
    if ('suppress' in extra) {
      await this.store.update(row, { status: 'suppressed', lastError: String(extra.suppress) }, manager);
      return 'suppressed';
    }

    let unsubscribe: { token: string; hash: Buffer } | undefined;
    if (participantId) {
      unsubscribe = newToken('u');
      await this.store.claimWithToken(row, { at: now, attempts, tokenHash: unsubscribe.hash }, manager);
    } else {
      await this.store.update(row, { claimedAt: now, attempts }, manager);
    }
    row.claimedAt = now;
    row.attempts = attempts;

    const links: Record<string, string> = {};
    if (unsubscribe) links.unsubscribe = `${this.config.http.publicBaseUrl}/u/${unsubscribe.token}`;
    const { links: extraLinks, ...rest } = extra as { links?: Record<string, string> };
    return {
      row,
      quota:
        participantId && attempts === 1 ? (read.dailySendLimit ?? this.config.sendQuota.defaultDaily) : null,
      recipient,
      data: { ...templateData(read), ...rest, links: { ...links, ...extraLinks } },
      override:
        read.overrideSubject !== null && read.overrideBody !== null
          ? { subject: read.overrideSubject, body: read.overrideBody }
          : null,
    };
  }

  /**
   * Takes a claimed participant mail from its workspace's daily send quota, in a statement of its own
   * after the claim has committed, so the quota's row (one per workspace, which every send of the
   * workspace takes) is locked for that one statement only. Past the quota the claim is undone and the
   * mail deferred to the next UTC day; false then.
   */
  private async takeFromQuota(row: OutboxMessage, quota: number): Promise<boolean> {
    const now = this.clock.now();
    if (await this.quotaTakes.take(row.workspaceId, utcDay(now), quota)) return true;
    await this.store.update(row, {
      status: 'deferred',
      deferredUntil: nextUtcDay(now),
      deferredReason: SEND_QUOTA_REASON,
      claimedAt: null,
      attempts: row.attempts - 1,
    });
    return false;
  }

  private async finish(row: OutboxMessage, patch: OutboxPatch): Promise<void> {
    await this.store.update(row, patch);
    if (patch.status !== 'failed') return;
    // A server's refusal often quotes the address; the log keeps the reason, the row keeps the rest.
    this.logger.warn(`outbox ${row.id} failed: ${withoutAddresses(patch.lastError ?? '')}`);
    await this.reactions.emit('delivery.failed', row, patch.lastError ?? 'failed');
  }
}

/** The UTC day of a moment, `YYYY-MM-DD`: the send quota's day. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** The start of the next UTC day, when a quota that is used up is whole again. */
export const nextUtcDay = (at: Date): Date =>
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));

/** The outbox row as read by the claim, without hydrating an entity. */
function outboxRow(read: ClaimRead): OutboxMessage {
  return {
    id: read.id,
    workspaceId: read.workspaceId,
    createdAt: read.createdAt,
    key: read.key,
    quarterId: read.quarterId,
    pilotId: read.pilotId,
    stepKey: read.stepKey,
    kind: read.kind,
    template: read.template,
    participantId: read.participantId,
    memberId: read.memberId,
    dueAt: read.dueAt,
    status: read.status,
    generation: read.generation,
    attempts: read.attempts,
    claimedAt: read.claimedAt,
    deferredUntil: read.deferredUntil,
    deferredReason: read.deferredReason,
    lastError: read.lastError,
    messageId: read.messageId,
    sentAt: read.sentAt,
    bouncedAt: read.bouncedAt,
    bounceReason: read.bounceReason,
    updatedAt: read.updatedAt,
  };
}

/** Everything a template may show, as read now (nothing personal is kept on the outbox row). */
function templateData(read: ClaimRead): Record<string, unknown> {
  const data: Record<string, unknown> = {
    recipient: { name: read.name, firstName: read.name.split(/\s+/)[0] },
    organization: { name: read.organizationName },
    pilot: { name: read.pilotName, waveNumber: read.waveNumber },
    quarter: {
      label: read.label,
      number: read.number,
      week: Math.max(1, Math.floor(read.dayOfQuarter / 7) + 1),
      weeksLeft: Math.max(0, Math.ceil(read.daysLeft / 7)),
      endsOn: read.endsOn,
    },
  };
  if (read.coachName) data.coach = { name: read.coachName };
  return data;
}

/** Email addresses in a text, for log lines: the person stays in the database, out of the logs. */
export const withoutAddresses = (text: string): string =>
  text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '[address]');
