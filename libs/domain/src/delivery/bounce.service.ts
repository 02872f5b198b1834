import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { Clock } from '../common/clock';
import { systemActor } from '../tenancy/actor';
import { AuditLog } from '../audit';
import { BounceReference, bouncedReason, isGenuine, parseMailReference } from './bounce-reference';
import { readDeliveryStatus } from './delivery-status';
import { withoutAddresses } from './delivery.service';
import { OutboxStore } from './outbox.store';

/** A provider's notice of one bounce (the inbound endpoint's JSON form). */
export interface BounceNotice {
  /** The `X-Luotsi-Mail` header of the mail that bounced. */
  mail: string;
  /** The enhanced status code, e.g. `5.1.1`. */
  status: string;
  recipient?: string;
  diagnostic?: string;
}

/**
 * What became of a report: `bounced` (the message and its participant marked now), `duplicate` (it was
 * marked already: the same bounce again), `ignored` with the reason (no genuine reference, no such
 * message, or not a permanent failure). Every answer is an acceptance: a sender is never asked to retry.
 */
export type BounceOutcome =
  | { outcome: 'bounced'; outboxId: string }
  | { outcome: 'duplicate'; outboxId: string }
  | { outcome: 'ignored'; reason: string };

/** What a bounce asks of the participants, whose rows they are (`ParticipantsModule` provides it). */
export abstract class BounceRecipients {
  /** Marks the participant bounced unless they are already (the first bounce counts); says whether it did. */
  abstract markBounced(
    participantId: string,
    bounce: { at: Date; reason: string; outboxId: string },
    manager: EntityManager,
  ): Promise<boolean>;
}

/** A reason as stored and shown: the status and the server's words, on one line, trimmed. */
const REASON_LENGTH = 500;

/**
 * Bounces: a returned message (an RFC 3464 DSN, from an MTA pipe) or a provider's notice is matched to
 * the outbox message it is about by its signed reference (`bounce-reference.ts`). A permanent failure
 * (Action failed, Status 5.x.x) marks the message and its participant bounced, and suppresses the mail
 * waiting for them; fan-outs and sends skip a bounced participant until a coach clears the mark.
 * Temporary failures (4.x.x, delayed) change nothing: the mail server is still trying.
 */
@Injectable()
export class BounceService {
  private readonly logger = new Logger(BounceService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: OutboxStore,
    private readonly recipients: BounceRecipients,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** A returned message as received (the MTA's pipe). */
  receiveReport(raw: string): Promise<BounceOutcome> {
    const report = readDeliveryStatus(raw);
    const reference = report.references.find((r) => isGenuine(r, this.config.mail.bounceKey));
    if (!reference) return Promise.resolve(ignored(report.references.length ? 'forged' : 'unmatched'));
    const failed = report.recipients.find((r) => r.action === 'failed' && /^5\./.test(r.status));
    if (!failed) return Promise.resolve(ignored('not a permanent failure'));
    return this.record(reference, reasonOf(failed.status, failed.diagnostic));
  }

  /** A provider's notice (the JSON webhook). */
  receiveNotice(notice: BounceNotice): Promise<BounceOutcome> {
    const reference = parseMailReference(notice.mail);
    if (!reference) return Promise.resolve(ignored('unmatched'));
    if (!isGenuine(reference, this.config.mail.bounceKey)) return Promise.resolve(ignored('forged'));
    if (!/^5\./.test(notice.status)) return Promise.resolve(ignored('not a permanent failure'));
    return this.record(reference, reasonOf(notice.status, notice.diagnostic ?? null));
  }

  private async record(reference: BounceReference, reason: string): Promise<BounceOutcome> {
    const outboxId = reference.outboxId;
    const outcome = await this.dataSource.transaction(async (manager): Promise<BounceOutcome> => {
      const at = this.clock.now();
      const row = await this.store.recordBounce(outboxId, at, reason, manager);
      if (!row) return ignored('unknown message');
      if (row.already) return { outcome: 'duplicate', outboxId };
      if (row.participantId) {
        const marked = await this.recipients.markBounced(
          row.participantId,
          { at, reason, outboxId },
          manager,
        );
        await this.store.suppressWaiting(
          { participantId: row.participantId },
          bouncedReason(reason),
          manager,
        );
        if (marked) {
          await this.audit.recordAs(
            systemActor(row.workspaceId),
            {
              action: 'participant.bounced',
              entityType: 'participant',
              entityId: row.participantId,
              details: { outboxId, reason: withoutAddresses(reason) },
            },
            manager,
          );
        }
      }
      return { outcome: 'bounced', outboxId };
    });
    if (outcome.outcome === 'bounced')
      this.logger.log(`outbox ${outboxId} bounced: ${withoutAddresses(reason)}`);
    return outcome;
  }
}

const ignored = (reason: string): BounceOutcome => ({ outcome: 'ignored', reason });

function reasonOf(status: string, diagnostic: string | null): string {
  const words = (diagnostic ?? '').replace(/\s+/g, ' ').trim();
  return (words ? `${status} ${words}` : status).slice(0, REASON_LENGTH);
}
