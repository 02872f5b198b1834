import type { Locale, OutboxMessage } from '@luotsi/database';

/**
 * The statements of one send, written so a participant's mail costs few round trips and no entity
 * hydration: one statement locks the row and reads everything the send needs, one counts towards the
 * weekly cap, one claims the row together with its unsubscribe token, and one records the result.
 * A round trip to Postgres costs more than rendering a mail, so they are what a fan-out's speed is
 * made of; the first three run as prepared statements, planned once per connection.
 */

/** Everything `claim` reads in its first statement: the row, its recipient, the quarter's facts, any override. */
export interface ClaimRead extends Omit<OutboxMessage, 'workspace' | 'quarter' | 'participant' | 'member'> {
  recipientFound: boolean | null;
  email: string;
  name: string;
  locale: Locale;
  timeZone: string;
  unsubscribedAt: Date | null;
  factsFound: boolean | null;
  organizationName: string;
  pilotName: string;
  waveNumber: number;
  label: string;
  number: number;
  endsOn: string;
  coachName: string | null;
  weeklyEmailCap: number;
  quietHoursStart: string;
  quietHoursEnd: string;
  /** Days from the quarter's first day to the due day, both in the recipient's time zone. */
  dayOfQuarter: number;
  /** Days from the due day to the quarter's last day. */
  daysLeft: number;
  overrideSubject: string | null;
  overrideBody: string | null;
}

/**
 * Locks the row (its latest version, as `FOR UPDATE` re-reads it after a wait), then takes the
 * participant's advisory lock, held until commit: one participant at a time from here on, so two sends
 * cannot both slip under the weekly cap (the cap is counted by the next statement, whose snapshot comes
 * after the lock). The recipient is the participant, or else the member (in the organization's locale
 * and time zone); an override is the workspace's own version of the template in the recipient's locale.
 */
export const CLAIM_READ = `
WITH locked AS (
  SELECT * FROM outbox_message WHERE id = $1 FOR UPDATE
),
participant_lock AS (
  SELECT pg_advisory_xact_lock(hashtext(participant_id::text)) FROM locked
)
SELECT o.id, o.workspace_id AS "workspaceId", o.created_at AS "createdAt", o.key, o.quarter_id AS "quarterId",
       o.pilot_id AS "pilotId", o.step_key AS "stepKey", o.kind, o.template, o.participant_id AS "participantId",
       o.member_id AS "memberId", o.due_at AS "dueAt", o.status, o.generation, o.attempts,
       o.claimed_at AS "claimedAt", o.deferred_until AS "deferredUntil", o.deferred_reason AS "deferredReason",
       o.last_error AS "lastError", o.message_id AS "messageId", o.sent_at AS "sentAt", o.updated_at AS "updatedAt",
       r.found AS "recipientFound", r.email, r.name, r.locale, r.time_zone AS "timeZone",
       r.unsubscribed_at AS "unsubscribedAt",
       f.found AS "factsFound", f.organization_name AS "organizationName", f.pilot_name AS "pilotName",
       f.wave_number AS "waveNumber", f.label, f.number, to_char(f.ends_on, 'YYYY-MM-DD') AS "endsOn",
       f.coach_name AS "coachName", f.weekly_email_cap AS "weeklyEmailCap",
       f.quiet_hours_start AS "quietHoursStart", f.quiet_hours_end AS "quietHoursEnd",
       (o.due_at AT TIME ZONE r.time_zone)::date - f.starts_on AS "dayOfQuarter",
       f.ends_on - (o.due_at AT TIME ZONE r.time_zone)::date AS "daysLeft",
       t.subject AS "overrideSubject", t.body AS "overrideBody"
FROM locked o
CROSS JOIN participant_lock
LEFT JOIN LATERAL (
  SELECT true AS found, pa.email, pa.name, pa.locale, pa.time_zone, pa.unsubscribed_at
  FROM participant pa WHERE pa.id = o.participant_id
  UNION ALL
  SELECT true, m.email, m.name, org.default_locale, org.time_zone, NULL::timestamptz
  FROM member m, quarter mq JOIN organization org ON org.id = mq.organization_id
  WHERE o.participant_id IS NULL AND m.id = o.member_id AND mq.id = o.quarter_id
) r ON true
LEFT JOIN LATERAL (
  SELECT true AS found, org.name AS organization_name, p.name AS pilot_name, p.wave_number, q.label, q.number,
         q.starts_on, q.ends_on, c.name AS coach_name, ro.weekly_email_cap, ro.quiet_hours_start, ro.quiet_hours_end
  FROM quarter q
  JOIN pilot p ON p.id = q.pilot_id
  JOIN rollout ro ON ro.id = p.rollout_id
  JOIN organization org ON org.id = q.organization_id
  LEFT JOIN member c ON c.id = p.coach_id
  WHERE q.id = o.quarter_id
) f ON true
LEFT JOIN message_template t ON t.workspace_id = o.workspace_id AND t.name = o.template AND t.locale = r.locale`;

/** The participant's sends claimed in the last week, newest first: as many as the cap allows. */
export const RECENT_CLAIMS = `
SELECT claimed_at AS "claimedAt" FROM outbox_message
WHERE participant_id = $1 AND id <> $2 AND status IN ('sent', 'queued') AND claimed_at > $3
ORDER BY claimed_at DESC LIMIT $4`;

/** Claims the row and stores the digest of its unsubscribe link's token, in one statement. */
export const CLAIM_WITH_TOKEN = `
WITH claimed AS (
  UPDATE outbox_message SET claimed_at = $3, attempts = $4, updated_at = CURRENT_TIMESTAMP
  WHERE id = $1 AND generation = $2
  RETURNING workspace_id, participant_id
)
INSERT INTO unsubscribe_token (token_hash, workspace_id, participant_id)
SELECT $5, workspace_id, participant_id FROM claimed`;

/** The columns a send may change, by property. */
const COLUMNS = {
  status: 'status',
  claimedAt: 'claimed_at',
  attempts: 'attempts',
  deferredUntil: 'deferred_until',
  deferredReason: 'deferred_reason',
  lastError: 'last_error',
  messageId: 'message_id',
  sentAt: 'sent_at',
} as const;

export type OutboxPatch = Partial<Pick<OutboxMessage, keyof typeof COLUMNS>>;

/** An UPDATE of the row as queued under `generation` (a newer generation is another job's to send). */
export function updateStatement(patch: OutboxPatch): { sql: string; values: unknown[] } {
  const keys = Object.keys(patch) as (keyof typeof COLUMNS)[];
  const sets = keys.map((key, i) => `${COLUMNS[key]} = $${i + 3}`);
  return {
    sql: `UPDATE outbox_message SET ${[...sets, 'updated_at = CURRENT_TIMESTAMP'].join(', ')}
          WHERE id = $1 AND generation = $2`,
    values: keys.map((key) => patch[key]),
  };
}
