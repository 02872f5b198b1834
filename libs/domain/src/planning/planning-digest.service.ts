import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import type { Locale, OutboxMessage } from '@luotsi/database';
import { textsFor } from '@luotsi/texts';
import { Clock } from '../common/clock';
import { EnrichesMail, OnBeat } from '../common/reactions';
import { newToken } from '../common/tokens';
import { OutboxService } from '../delivery';
import { DigestEntryRow, PlanningStore } from './planning.store';

/** When a day's digest is due: the next morning, at this time in each recipient's own time zone. */
export const DIGEST_TIME = '08:00';

/** The step key of a day's digests (`planning-digest.{YYYY-MM-DD}`), which their natural keys carry. */
export const digestStepKey = (day: string) => `planning-digest.${day}`;
const DIGEST_STEP = /^planning-digest\.(\d{4}-\d{2}-\d{2})$/;

/** How much of an entry's text a digest line quotes. */
const QUOTED = 280;

const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const dayBefore = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const quoted = (text: string) => (text.length > QUOTED ? `${text.slice(0, QUOTED - 1)}…` : text);

/**
 * The planning dialogue's digests: a person who commented on a draft, or owns it, hears of what others
 * wrote on it, at most once a day, and only when something was written; the pilot's coach hears of all
 * of it, once a day. The scheduler's beat writes the digests of the organization's day that has just
 * ended (yesterday, in its time zone) to the outbox, due the next morning at `DIGEST_TIME` in each
 * recipient's time zone; their natural keys name the quarter, the day and the person, so a day is
 * written once however many beats see it. The outbox then applies what it applies to any participant
 * mail: quiet hours, quiet periods, the weekly cap, unsubscribing. Days missed by a worker that was down
 * are not caught up: a digest is news, and two in one morning would break the promise of one a day.
 *
 * A draft is an objective or one of its key results. A person follows an entry when they wrote on the
 * same draft before it, or own its key result or its objective (an objective's owner follows its key
 * results too); never their own entries.
 */
@Injectable()
export class PlanningDigestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PlanningStore,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Writes yesterday's digests of every quarter discussed yesterday; returns how many rows are new. */
  @OnBeat('planningDigestsQueued')
  async queue(): Promise<number> {
    let written = 0;
    for (const day of await this.store.digestDays(this.clock.now()))
      written += await this.dataSource.transaction(async (manager) => {
        const mail = {
          workspaceId: day.workspace_id,
          quarterId: day.quarter_id,
          pilotId: day.pilot_id,
          kind: 'planning_digest' as const,
          origin: { stepKey: digestStepKey(day.day) },
          due: { day: nextDay(day.day), time: DIGEST_TIME, zone: day.zone },
        };
        const followers = await this.store.digestFollowers(manager, day.quarter_id, day.day, day.zone);
        let n = followers.length
          ? await this.outbox.fanOut(
              { ...mail, template: 'planning-digest' },
              { participantsIn: followers },
              manager,
            )
          : 0;
        if (day.coach_id)
          n += await this.outbox.fanOut(
            { ...mail, template: 'planning-digest-coach' },
            { members: [day.coach_id] },
            manager,
          );
        return n;
      });
    return written;
  }

  /** The day's entries for the recipient in their language; none left (erased), the digest does not go. */
  @EnrichesMail('planning_digest')
  async enrich(
    manager: EntityManager,
    row: OutboxMessage,
    recipient: { participantId: string | null; locale: Locale },
  ): Promise<Record<string, unknown> | { suppress: string }> {
    const day = DIGEST_STEP.exec(row.stepKey ?? '')?.[1];
    const quarter = row.quarterId ? await this.store.digestQuarter(manager, row.quarterId) : null;
    if (!day || !quarter) return { suppress: 'no planning day to digest' };
    const entries = await this.store.digestEntries(manager, quarter, day, recipient.participantId);
    if (!entries.length) return { suppress: 'nothing new' };
    const planning = { quarterLabel: quarter.label, day, closesOn: dayBefore(quarter.starts_on) };
    const items = entries.map((entry) => digestLine(entry, recipient.locale));
    if (!recipient.participantId)
      return {
        // The coach's way back: the console's planning page, where each entry is accepted or resolved.
        links: {
          action: `${this.config.http.publicBaseUrl}/app/pilots/${quarter.pilot_id}/planning?quarter=${quarter.id}`,
        },
        planning,
        digest: {
          items,
          count: entries.length,
          people: new Set(entries.map((e) => e.participant_id)).size,
        },
      };
    const { token, hash } = newToken('p');
    await this.store.createToken(manager, {
      hash,
      workspaceId: quarter.workspace_id,
      quarterId: quarter.id,
      participantId: recipient.participantId,
      expiresAt: quarter.ends_at,
    });
    return {
      links: { action: `${this.config.http.publicBaseUrl}/p/${token}` },
      planning,
      digest: { items, count: entries.length },
    };
  }
}

/** One line of a digest: who wrote what on which draft, in the reader's language. */
export function digestLine(entry: DigestEntryRow, locale: Locale): string {
  const t = textsFor(locale);
  const values = {
    name: entry.author_name,
    target: entry.target_title,
    body: quoted(entry.body),
    proposed: entry.proposed_title ?? '',
  };
  const line = t(`participant:planningDigest.${entry.kind}`, values);
  return entry.kind !== 'comment' && entry.body ? `${line} – ${quoted(entry.body)}` : line;
}
