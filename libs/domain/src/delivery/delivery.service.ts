import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DateTime } from 'luxon';
import { AppConfig } from '@luotsi/config';
import { Locale, OutboxMessage, StepKind } from '@luotsi/database';
import { MailDeliveryError, MailRenderer, MailTransport, senderDomain, TemplateName } from '@luotsi/mail';
import { Clock } from '../common/clock';
import { newToken } from '../common/tokens';
import { quietUntil, WEEK_MS } from './nudge-hygiene';

export type DeliveryOutcome = 'sent' | 'skipped' | 'deferred' | 'suppressed' | 'failed';

/** A transient failure (SMTP 4xx, no connection): the job is retried with backoff. */
export class RetryableDeliveryError extends Error {
  override name = 'RetryableDeliveryError';
}

interface Recipient {
  email: string;
  name: string;
  locale: Locale;
  timeZone: string;
  participantId: string | null;
  unsubscribedAt: Date | null;
}

/**
 * Adds what a kind of mail needs beyond the common data (e.g. a retrospective's single-use link), or
 * says why the mail must not go after all. Runs inside the claim's transaction.
 */
export type MailEnricher = (
  manager: EntityManager,
  row: OutboxMessage,
  recipient: { participantId: string | null; locale: Locale },
) => Promise<Record<string, unknown> | { suppress: string }>;

/** Follows a final failure recorded by `deliver` (e.g. the delivery.failed webhook). */
export type DeliveryFailedListener = (row: OutboxMessage, reason: string) => Promise<void>;

interface Claimed {
  row: OutboxMessage;
  recipient: Recipient;
  data: Record<string, unknown>;
}

/**
 * Sends one outbox row: claim it (skipping what is done, deferring what nudge hygiene holds back),
 * render it in the recipient's language, send it, record the result. The row is the truth; a job
 * only asks for this to happen.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);
  private readonly enrichers = new Map<StepKind, MailEnricher>();
  private readonly failedListeners: DeliveryFailedListener[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly renderer: MailRenderer,
    private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {}

  /** Lets a feature add data to its kind of mail (registered at boot). */
  registerEnricher(kind: StepKind, enricher: MailEnricher): void {
    this.enrichers.set(kind, enricher);
  }

  /** Lets a feature act on each mail that failed for good (registered at boot). */
  onFailed(listener: DeliveryFailedListener): void {
    this.failedListeners.push(listener);
  }

  async deliver(outboxId: string, generation: number, attempt: { final: boolean }): Promise<DeliveryOutcome> {
    const claim = await this.dataSource.transaction((manager) => this.claim(manager, outboxId, generation));
    if (typeof claim === 'string') return claim;
    const { row, recipient, data } = claim;

    let mail;
    try {
      const override = await this.override(row, recipient.locale);
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

    const headers: Record<string, string> = { 'X-Luotsi-Message': row.key };
    const links = data.links as { unsubscribe?: string };
    if (links.unsubscribe) {
      headers['List-Unsubscribe'] = `<${links.unsubscribe}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    try {
      const result = await this.transport.send({
        to: recipient.email,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: `<${row.id}@${senderDomain(this.config.mail.from)}>`,
        headers,
      });
      await this.finish(row, {
        status: 'sent',
        sentAt: this.clock.now(),
        messageId: result.messageId,
        lastError: null,
      });
      return 'sent';
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
      throw new RetryableDeliveryError(failure.message);
    }
  }

  private async claim(
    manager: EntityManager,
    outboxId: string,
    generation: number,
  ): Promise<Claimed | DeliveryOutcome> {
    const row = await manager.findOne(OutboxMessage, {
      where: { id: outboxId },
      lock: { mode: 'pessimistic_write' },
    });
    // Done already, or queued anew under another generation (whose own job will do it).
    if (!row || row.status !== 'queued' || row.generation !== generation) return 'skipped';
    const now = this.clock.now();
    // A claim younger than the timeout belongs to a send still in flight elsewhere (e.g. a job re-added
    // after Redis lost it while its first run goes on); an older one died with its worker.
    if (row.claimedAt && now.getTime() - row.claimedAt.getTime() < this.config.mail.claimTimeoutMs) {
      throw new RetryableDeliveryError('another worker is sending this message right now');
    }

    const context = await this.context(manager, row);
    if (!context) {
      await this.update(manager, row, {
        status: 'failed',
        lastError: 'the recipient no longer exists (erased or removed)',
      });
      return 'failed';
    }
    const { recipient, settings } = context;
    if (recipient.unsubscribedAt) {
      await this.update(manager, row, { status: 'suppressed', lastError: null });
      return 'suppressed';
    }

    const quiet = quietUntil(now, recipient.timeZone, settings.quietHoursStart, settings.quietHoursEnd);
    if (quiet) {
      await this.update(manager, row, {
        status: 'deferred',
        deferredUntil: quiet,
        deferredReason: 'quiet hours',
      });
      return 'deferred';
    }
    if (recipient.participantId) {
      // One participant at a time, so two sends cannot both slip under the cap.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [recipient.participantId]);
      const recent: { claimed_at: Date }[] = await manager.query(
        `SELECT claimed_at FROM outbox_message
         WHERE participant_id = $1 AND id <> $2 AND status IN ('sent', 'queued') AND claimed_at > $3
         ORDER BY claimed_at`,
        [recipient.participantId, row.id, new Date(now.getTime() - WEEK_MS)],
      );
      if (recent.length >= settings.weeklyEmailCap) {
        const until = new Date(
          recent[recent.length - settings.weeklyEmailCap].claimed_at.getTime() + WEEK_MS,
        );
        await this.update(manager, row, {
          status: 'deferred',
          deferredUntil: until,
          deferredReason: 'weekly cap',
        });
        return 'deferred';
      }
    }
    const enricher = row.kind ? this.enrichers.get(row.kind) : undefined;
    const extra = enricher ? await enricher(manager, row, recipient) : {};
    if ('suppress' in extra) {
      await this.update(manager, row, { status: 'suppressed', lastError: String(extra.suppress) });
      return 'suppressed';
    }

    row.claimedAt = now;
    row.attempts += 1;
    await this.update(manager, row, { claimedAt: now, attempts: row.attempts });

    const links: Record<string, string> = {};
    if (recipient.participantId) {
      const { token, hash } = newToken('u');
      await manager.query(
        `INSERT INTO unsubscribe_token (token_hash, workspace_id, participant_id) VALUES ($1, $2, $3)`,
        [hash, row.workspaceId, recipient.participantId],
      );
      links.unsubscribe = `${this.config.http.publicBaseUrl}/u/${token}`;
    }
    const { links: extraLinks, ...rest } = extra as { links?: Record<string, string> };
    return { row, recipient, data: { ...context.data, ...rest, links: { ...links, ...extraLinks } } };
  }

  /** Everything a template may show, read now (nothing personal is kept on the outbox row). */
  private async context(manager: EntityManager, row: OutboxMessage) {
    const [recipient]: Recipient[] = row.participantId
      ? await manager.query(
          `SELECT email, name, locale, time_zone AS "timeZone", id AS "participantId", unsubscribed_at AS "unsubscribedAt"
           FROM participant WHERE id = $1`,
          [row.participantId],
        )
      : row.memberId
        ? await manager.query(
            `SELECT m.email, m.name, o.default_locale AS locale, o.time_zone AS "timeZone", NULL AS "participantId", NULL AS "unsubscribedAt"
             FROM member m, quarter q JOIN organization o ON o.id = q.organization_id
             WHERE m.id = $1 AND q.id = $2`,
            [row.memberId, row.quarterId],
          )
        : [];
    if (!recipient) return null;
    const [facts] = await manager.query(
      `SELECT o.name AS "organizationName", p.name AS "pilotName", p.wave_number AS "waveNumber",
              q.label, q.number, to_char(q.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(q.ends_on, 'YYYY-MM-DD') AS "endsOn",
              c.name AS "coachName", r.weekly_email_cap AS "weeklyEmailCap",
              r.quiet_hours_start AS "quietHoursStart", r.quiet_hours_end AS "quietHoursEnd"
       FROM quarter q
       JOIN pilot p ON p.id = q.pilot_id
       JOIN rollout r ON r.id = p.rollout_id
       JOIN organization o ON o.id = q.organization_id
       LEFT JOIN member c ON c.id = p.coach_id
       WHERE q.id = $1`,
      [row.quarterId],
    );
    if (!facts) return null;
    const day = DateTime.fromJSDate(row.dueAt, { zone: recipient.timeZone }).startOf('day');
    const start = DateTime.fromISO(facts.startsOn, { zone: recipient.timeZone });
    const end = DateTime.fromISO(facts.endsOn, { zone: recipient.timeZone });
    const week = Math.max(1, Math.floor(day.diff(start, 'days').days / 7) + 1);
    const data: Record<string, unknown> = {
      recipient: { name: recipient.name, firstName: recipient.name.split(/\s+/)[0] },
      organization: { name: facts.organizationName },
      pilot: { name: facts.pilotName, waveNumber: facts.waveNumber },
      quarter: {
        label: facts.label,
        number: facts.number,
        week,
        weeksLeft: Math.max(0, Math.ceil(end.diff(day, 'days').days / 7)),
        endsOn: facts.endsOn,
      },
    };
    if (facts.coachName) data.coach = { name: facts.coachName };
    return {
      recipient,
      data,
      settings: {
        weeklyEmailCap: facts.weeklyEmailCap as number,
        quietHoursStart: facts.quietHoursStart as string,
        quietHoursEnd: facts.quietHoursEnd as string,
      },
    };
  }

  private async override(
    row: OutboxMessage,
    locale: Locale,
  ): Promise<{ subject: string; body: string } | null> {
    const [found] = await this.dataSource.query(
      `SELECT subject, body FROM message_template WHERE workspace_id = $1 AND name = $2 AND locale = $3`,
      [row.workspaceId, row.template, locale],
    );
    return found ?? null;
  }

  private async finish(row: OutboxMessage, patch: Partial<OutboxMessage>): Promise<void> {
    await this.update(this.dataSource.manager, row, patch);
    if (patch.status !== 'failed') return;
    this.logger.warn(`outbox ${row.id} failed: ${patch.lastError}`);
    for (const listener of this.failedListeners) await listener(row, patch.lastError ?? 'failed');
  }

  private async update(
    manager: EntityManager,
    row: OutboxMessage,
    patch: Partial<OutboxMessage>,
  ): Promise<void> {
    await manager.update(OutboxMessage, { id: row.id, generation: row.generation }, patch);
  }
}
