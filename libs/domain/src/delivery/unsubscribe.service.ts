import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Locale } from '@luotsi/database';
import { Clock } from '../common/clock';
import { hashToken } from '../common/tokens';
import { Refused, unknownLink } from '../common/refusal';
import { systemActor } from '../tenancy/actor';
import { AuditLog } from '../audit';
import { OutboxStore } from './outbox.store';

export interface UnsubscribeTarget {
  locale: Locale;
  organizationName: string | null;
  alreadyUnsubscribed: boolean;
}

/** An unsubscribe link never expires: it is known, or it is not. */
export type UnsubscribeLookup = { status: 'ok'; target: UnsubscribeTarget } | Refused;

/**
 * What unsubscribing asks of the participants, whose rows they are. The participants feature provides it
 * (`ParticipantsModule`): it asks the outbox itself, so delivery names the need here rather than
 * importing it.
 */
export abstract class UnsubscribeRecipients {
  /** What the confirmation page says of the participant; undefined if there is no such participant. */
  abstract unsubscribeTarget(participantId: string): Promise<UnsubscribeTarget | undefined>;
  /** Marks the participant unsubscribed (the first time counts), in the transaction; says whose it is. */
  abstract markUnsubscribed(
    participantId: string,
    at: Date,
    manager: EntityManager,
  ): Promise<{ id: string; workspace_id: string } | undefined>;
}

/**
 * One-click unsubscribe (RFC 8058). A token names a participant, never shows who; unsubscribing stops
 * every further mail to that person: later steps create suppressed rows, queued ones are suppressed now.
 */
@Injectable()
export class UnsubscribeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: OutboxStore,
    private readonly recipients: UnsubscribeRecipients,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** What the confirmation page needs. */
  async find(token: string): Promise<UnsubscribeLookup> {
    const found = await this.lookup(token);
    return found ? { status: 'ok', target: found.target } : unknownLink();
  }

  /** Answers with the target as it was. Repeating it is harmless. */
  async unsubscribe(token: string): Promise<UnsubscribeLookup> {
    const found = await this.lookup(token);
    if (!found) return unknownLink();
    const { participantId, target } = found;
    await this.dataSource.transaction(async (manager) => {
      const participant = (await this.recipients.markUnsubscribed(participantId, this.clock.now(), manager))!;
      await this.store.suppressWaiting({ participantId: participant.id }, null, manager);
      if (!target.alreadyUnsubscribed) {
        await this.audit.recordAs(
          systemActor(participant.workspace_id),
          { action: 'participant.unsubscribed', entityType: 'participant', entityId: participant.id },
          manager,
        );
      }
    });
    return { status: 'ok', target };
  }

  private async lookup(
    token: string,
  ): Promise<{ participantId: string; target: UnsubscribeTarget } | undefined> {
    if (!isPlausible(token)) return undefined;
    const participantId = await this.store.unsubscribeTokenOwner(hashToken(token));
    const target = participantId && (await this.recipients.unsubscribeTarget(participantId));
    return participantId && target ? { participantId, target } : undefined;
  }
}

/** Tokens are `u_` and 43 base64url characters; anything else is refused without a query. */
const isPlausible = (token: string) => /^u_[A-Za-z0-9_-]{43}$/.test(token);
