import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Locale } from '@luotsi/database';
import { Clock } from '../common/clock';
import { hashToken } from '../common/tokens';
import { returned } from '../common/sql';
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
 * One-click unsubscribe (RFC 8058). A token names a participant, never shows who; unsubscribing stops
 * every further mail to that person: later steps create suppressed rows, queued ones are suppressed now.
 */
@Injectable()
export class UnsubscribeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: OutboxStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** What the confirmation page needs. */
  async find(token: string): Promise<UnsubscribeLookup> {
    if (!isPlausible(token)) return unknownLink();
    const [row] = await this.dataSource.query(
      `SELECT p.locale, p.unsubscribed_at IS NOT NULL AS "alreadyUnsubscribed",
              (SELECT o.name FROM pilot_membership m JOIN organization o ON o.id = m.organization_id
               WHERE m.participant_id = p.id ORDER BY m.created_at DESC LIMIT 1) AS "organizationName"
       FROM unsubscribe_token t JOIN participant p ON p.id = t.participant_id
       WHERE t.token_hash = $1`,
      [hashToken(token)],
    );
    return row ? { status: 'ok', target: row } : unknownLink();
  }

  /** Answers with the target as it was. Repeating it is harmless. */
  async unsubscribe(token: string): Promise<UnsubscribeLookup> {
    const found = await this.find(token);
    if (found.status !== 'ok') return found;
    const { target } = found;
    await this.dataSource.transaction(async (manager) => {
      const [participant] = returned<{ id: string; workspace_id: string }>(
        await manager.query(
          `UPDATE participant p SET unsubscribed_at = coalesce(p.unsubscribed_at, $2), updated_at = now()
         FROM unsubscribe_token t WHERE t.token_hash = $1 AND p.id = t.participant_id
         RETURNING p.id, p.workspace_id`,
          [hashToken(token), this.clock.now()],
        ),
      );
      await this.store.suppressWaiting({ participantId: participant.id }, null, manager);
      if (!target.alreadyUnsubscribed) {
        await this.audit.recordAs(
          systemActor(participant.workspace_id),
          { action: 'participant.unsubscribed', entityType: 'participant', entityId: participant.id },
          manager,
        );
      }
    });
    return found;
  }
}

/** Tokens are `u_` and 43 base64url characters; anything else is refused without a query. */
const isPlausible = (token: string) => /^u_[A-Za-z0-9_-]{43}$/.test(token);
