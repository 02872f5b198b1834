import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { OutboxMessage, OutboxStatus, StepKind } from '@luotsi/database';
import { affected, prepared, preparedStatement, returned } from '../common/sql';
import {
  BouncedMail,
  ClaimRead,
  FailedMail,
  keyStem,
  MailRecipients,
  OutboxMail,
  OutboxPatch,
  PARTICIPANT_KEY,
  QueuedMail,
  SendLatency,
} from './outbox-mail';
import { ORGANIZATION_ROWS, ROLLOUT_ROWS } from '../organizations/relations';
import { PILOT_ROWS, QUARTER_ROWS } from '../pilots/relations';
import { MESSAGE_TEMPLATE_ROWS } from '../templates/relations';
import { CADENCE_STEP_ROWS } from '../cadence/relations';
import { MEMBER_ROWS, WORKSPACE_ROWS } from '../workspaces/relations';
import { PARTICIPANT_ROWS } from '../participants/relations';
import { recipientsOf } from './outbox-recipients';

/** How a mail suppressed for a bounced recipient begins its reason (`bouncedReason`). */
const BOUNCED_PREFIX = 'bounced: ';

/** Why a mail waits for tomorrow: its workspace's daily send quota is used up. */
export const SEND_QUOTA_REASON = 'send quota';

/**
 * Takes up to $4 mails from workspace $1's quota for day $2 with limit $3, in one statement: the count
 * starts again on a new day and never passes the limit. SET sees the row as it was, so `last_taken` is
 * what this statement took.
 */
const USED = `CASE WHEN send_quota.day = EXCLUDED.day THEN send_quota.claimed ELSE 0 END`;
const TAKE_FROM_QUOTA = `
INSERT INTO send_quota (workspace_id, day, claimed, last_taken)
VALUES ($1, $2::date, least($4::int, $3::int), least($4::int, $3::int))
ON CONFLICT (workspace_id) DO UPDATE
  SET day = EXCLUDED.day,
      claimed = ${USED} + least($4::int, greatest($3::int - ${USED}, 0)),
      last_taken = least($4::int, greatest($3::int - ${USED}, 0)),
      updated_at = now()
RETURNING last_taken AS taken`;

/** Mail not sent, and not given up on. */
const UNSENT = `status IN ('pending', 'queued', 'deferred')`;
/** Unsent mail not claimed by a send, which can still be held back. */
const WAITING = `${UNSENT} AND claimed_at IS NULL`;

/**
 * The outbox's tables (`outbox_message`, and `unsubscribe_token`, written with the send that puts its
 * link in a mail): the only code that reads or writes them. One row per mail with a
 * unique natural key (`outbox-mail.ts`); writes are set-based, a fan-out one statement however many
 * recipients. Callers have scoped the quarter or the person to the workspace already.
 */
@Injectable()
export class OutboxStore {
  constructor(private readonly dataSource: DataSource) {}

  /** One row per recipient, none twice (`ON CONFLICT (key) DO NOTHING`); returns how many are new. */
  async fanOut(
    mail: OutboxMail,
    to: MailRecipients,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const recipients = recipientsOf(to);
    const due =
      'at' in mail.due ? [mail.due.at, null, null, null] : [null, mail.due.day, mail.due.time, mail.due.zone];
    const rows = await manager.query(
      `INSERT INTO outbox_message (workspace_id, key, quarter_id, pilot_id, step_key, kind, template,
                                   participant_id, member_id, due_at, status, last_error)
       SELECT $1, $2::text || coalesce('.p' || r.participant_id, '.m' || r.member_id), $3, $4, $5, $6, $7,
              r.participant_id, r.member_id,
              coalesce($8::timestamptz, ($9::date + $10::time) AT TIME ZONE coalesce(r.time_zone, $11::text)),
              CASE WHEN b.bounced_at IS NULL THEN r.status ELSE 'suppressed' END,
              CASE WHEN b.bounced_at IS NOT NULL AND r.status <> 'suppressed'
                   THEN left('${BOUNCED_PREFIX}' || coalesce(b.bounce_reason, ''), 1000) END
       FROM (${recipients.sql}) r
       -- Someone whose mail bounced gets a suppressed row that says why (unsubscribing says it itself).
       LEFT JOIN ${PARTICIPANT_ROWS} b ON b.id = r.participant_id
       ON CONFLICT (key) DO NOTHING
       RETURNING id`,
      [
        mail.workspaceId,
        keyStem(mail),
        mail.quarterId,
        mail.pilotId,
        'stepKey' in mail.origin ? mail.origin.stepKey : null,
        mail.kind,
        mail.template,
        ...due,
        ...recipients.values,
      ],
    );
    return rows.length;
  }

  /** Marks up to `limit` pending or deferred rows due by `now` as queued under a new generation. */
  async queueDue(now: Date, limit: number): Promise<QueuedMail[]> {
    return returned<QueuedMail>(
      await this.dataSource.query(
        `UPDATE outbox_message o SET status = 'queued', generation = o.generation + 1, deferred_until = NULL,
                deferred_reason = NULL, updated_at = now()
         WHERE o.id IN (
           SELECT m.id FROM outbox_message m
           WHERE ((m.status = 'pending' AND m.due_at <= $1) OR (m.status = 'deferred' AND m.deferred_until <= $1))
             -- Held while the workspace's sign-up address is unconfirmed: the rows wait, pending, and go after.
             AND EXISTS (SELECT 1 FROM ${WORKSPACE_ROWS} w WHERE w.id = m.workspace_id AND w.email_confirmed_at IS NOT NULL)
           ORDER BY m.due_at LIMIT $2 FOR UPDATE OF m SKIP LOCKED)
         RETURNING o.id, o.key, o.generation`,
        [now, limit],
      ),
    );
  }

  /** Queued rows claimed before `before`, whose send died with its worker: a new generation, unclaimed. */
  async renewAbandoned(before: Date): Promise<QueuedMail[]> {
    return returned<QueuedMail>(
      await this.dataSource.query(
        `UPDATE outbox_message SET generation = generation + 1, claimed_at = NULL, updated_at = now()
         WHERE status = 'queued' AND claimed_at < $1
         RETURNING id, key, generation`,
        [before],
      ),
    );
  }

  // The statements of one send: few round trips and no entity hydration, as a round trip costs more than
  // rendering a mail. The first three run as prepared statements, planned once per connection.

  /**
   * Locks the row (its latest version, as `FOR UPDATE` re-reads it after a wait), then takes the
   * participant's advisory lock, held until commit: one participant at a time from here on, so two sends
   * cannot both slip under the weekly cap. Reads the recipient (the participant, or else the member in
   * the organization's locale and time zone), the quarter's facts and the workspace's own version of
   * the template in the recipient's locale.
   */
  async claimRead(id: string, manager: EntityManager): Promise<ClaimRead | undefined> {
    const [read] = await prepared<ClaimRead>(manager, 'outbox-claim-read', CLAIM_READ, [id]);
    return read;
  }

  // The send quota

  /**
   * Takes up to `wanted` participant mails from the workspace's quota for `day` (UTC, `YYYY-MM-DD`): the
   * count starts again on a new day and never passes `limit` (the workspace's own, else the default).
   * Returns how many it took. One statement on its own (autocommit), so the quota's row is locked only
   * while it runs; the sends of one process ask together (`QuotaTakes`), a statement per batch.
   */
  async takeFromQuota(workspaceId: string, day: string, limit: number, wanted: number): Promise<number> {
    const [row] = await preparedStatement<{ taken: number }>(
      this.dataSource,
      'send-quota-take',
      TAKE_FROM_QUOTA,
      [workspaceId, day, limit, wanted],
    );
    return row.taken;
  }

  /**
   * Sets a workspace's daily limit (null: the default again) and makes the mail it held due again as of
   * when it was due, so the next queueing sends it (or holds it again, should today's quota still be used
   * up). Returns how many held mails were released.
   */
  async setDailySendLimit(
    workspaceId: string,
    limit: number | null,
    manager: EntityManager,
  ): Promise<number> {
    await manager.query(
      `INSERT INTO send_quota (workspace_id, daily_limit) VALUES ($1, $2)
       ON CONFLICT (workspace_id) DO UPDATE SET daily_limit = EXCLUDED.daily_limit, updated_at = now()`,
      [workspaceId, limit],
    );
    return affected(
      await manager.query(
        `UPDATE outbox_message SET deferred_until = due_at, updated_at = now()
         WHERE workspace_id = $1 AND status = 'deferred' AND deferred_reason = '${SEND_QUOTA_REASON}'`,
        [workspaceId],
      ),
    );
  }

  /** A workspace's own daily limit (null: the default), and its count on `day`. */
  async sendQuota(workspaceId: string, day: string): Promise<{ dailyLimit: number | null; used: number }> {
    const [row] = returned<{ dailyLimit: number | null; used: number }>(
      await this.dataSource.query(
        `SELECT daily_limit AS "dailyLimit", CASE WHEN day = $2::date THEN claimed ELSE 0 END AS used
         FROM send_quota WHERE workspace_id = $1`,
        [workspaceId, day],
      ),
    );
    return row ?? { dailyLimit: null, used: 0 };
  }

  /** A quarter's mail held for its workspace's quota. */
  async heldForQuota(workspaceId: string, quarterId: string): Promise<number> {
    const [row] = returned<{ n: number }>(
      await this.dataSource.query(
        `SELECT count(*)::int AS n FROM outbox_message
         WHERE workspace_id = $1 AND quarter_id = $2 AND status = 'deferred' AND deferred_reason = '${SEND_QUOTA_REASON}'`,
        [workspaceId, quarterId],
      ),
    );
    return row.n;
  }

  /** Every workspace's mail held for its quota, for the operator's metrics: from the tally, not the rows. */
  async heldForQuotaEverywhere(): Promise<number> {
    const [row] = returned<{ n: number }>(
      await this.dataSource.query(
        `SELECT coalesce(sum(value), 0)::bigint::int AS n FROM outbox_tally WHERE metric = 'held'`,
      ),
    );
    return row.n;
  }

  /**
   * For the operator's metrics, on `day`: participant mails begun against the quotas, and the workspaces
   * that have used up theirs (`defaultLimit` where a workspace has none of its own).
   */
  async quotaUse(day: string, defaultLimit: number): Promise<{ used: number; workspacesAtQuota: number }> {
    const [row] = returned<{ used: number; workspacesAtQuota: number }>(
      await this.dataSource.query(
        `SELECT coalesce(sum(claimed), 0)::int AS used,
                count(*) FILTER (WHERE claimed >= coalesce(daily_limit, $2))::int AS "workspacesAtQuota"
         FROM send_quota WHERE day = $1::date`,
        [day, defaultLimit],
      ),
    );
    return row;
  }

  /** The participant's sends claimed since `since`, newest first, `limit` at most (the weekly cap). */
  recentClaims(
    row: Pick<OutboxMessage, 'id' | 'participantId'>,
    since: Date,
    limit: number,
    manager: EntityManager,
  ): Promise<{ claimedAt: Date }[]> {
    return prepared(
      manager,
      'outbox-recent-claims',
      `SELECT claimed_at AS "claimedAt" FROM outbox_message
       WHERE participant_id = $1 AND id <> $2 AND status IN ('sent', 'queued') AND claimed_at > $3
       ORDER BY claimed_at DESC LIMIT $4`,
      [row.participantId, row.id, since, limit],
    );
  }

  /** Claims the row and stores the digest of its unsubscribe link's token, in one statement. */
  async claimWithToken(
    row: Pick<OutboxMessage, 'id' | 'generation'>,
    claim: { at: Date; attempts: number; tokenHash: Buffer },
    manager: EntityManager,
  ): Promise<void> {
    await prepared(
      manager,
      'outbox-claim-with-token',
      `WITH claimed AS (
         UPDATE outbox_message SET claimed_at = $3, attempts = $4, updated_at = CURRENT_TIMESTAMP
         WHERE id = $1 AND generation = $2
         RETURNING workspace_id, participant_id
       )
       INSERT INTO unsubscribe_token (token_hash, workspace_id, participant_id)
       SELECT $5, workspace_id, participant_id FROM claimed`,
      [row.id, row.generation, claim.at, claim.attempts, claim.tokenHash],
    );
  }

  /** Records a send's result on the row as queued under its generation (a newer one is another job's). */
  async update(
    row: Pick<OutboxMessage, 'id' | 'generation'>,
    patch: OutboxPatch,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const keys = Object.keys(patch) as (keyof OutboxPatch)[];
    const sets = keys.map((key, i) => `${column(key)} = $${i + 3}`);
    await manager.query(
      `UPDATE outbox_message SET ${[...sets, 'updated_at = CURRENT_TIMESTAMP'].join(', ')}
       WHERE id = $1 AND generation = $2`,
      [row.id, row.generation, ...keys.map((key) => patch[key])],
    );
  }

  /**
   * Mail not yet claimed that will now never go: a person's (they unsubscribed), or a quarter's of
   * some kinds (its retrospective closed), with the reason when there is one.
   */
  async suppressWaiting(
    of: { participantId: string } | { quarterId: string; kinds: StepKind[] },
    reason: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const [where, values] =
      'participantId' in of
        ? ['participant_id = $2', [of.participantId]]
        : ['quarter_id = $2 AND kind = ANY($3::text[])', [of.quarterId, of.kinds]];
    await manager.query(
      `UPDATE outbox_message SET status = 'suppressed', last_error = coalesce($1, last_error), updated_at = now()
       WHERE ${where} AND ${WAITING}`,
      [reason, ...values],
    );
  }

  /**
   * Records a bounce on the message (the first one counts), in the bounce's transaction. Returns whose the
   * message is and whether it had bounced already; undefined when there is no such message.
   */
  async recordBounce(
    id: string,
    at: Date,
    reason: string,
    manager: EntityManager,
  ): Promise<{ workspaceId: string; participantId: string | null; already: boolean } | undefined> {
    const [row] = returned<{ workspaceId: string; participantId: string | null; already: boolean }>(
      await manager.query(
        `WITH before AS (SELECT id, bounced_at FROM outbox_message WHERE id = $1 FOR UPDATE)
         UPDATE outbox_message o
         SET bounced_at = coalesce(o.bounced_at, $2), bounce_reason = coalesce(o.bounce_reason, $3), updated_at = now()
         FROM before WHERE o.id = before.id
         RETURNING o.workspace_id AS "workspaceId", o.participant_id AS "participantId",
                   before.bounced_at IS NOT NULL AS already`,
        [id, at, reason],
      ),
    );
    return row;
  }

  /**
   * The quarter's mail that bounced, and the mail suppressed because its recipient's mail had bounced,
   * newest first, `limit` of each at most, with the address and the reason.
   */
  async bounces(workspaceId: string, quarterId: string, limit: number): Promise<BouncedMail[]> {
    return this.dataSource.query(
      `(SELECT 'bounced' AS kind, o.id, o.step_key AS "stepKey", o.participant_id AS "participantId",
               o.member_id AS "memberId", coalesce(p.email, m.email) AS email, o.bounce_reason AS reason,
               o.bounced_at AS at
        FROM outbox_message o LEFT JOIN ${PARTICIPANT_ROWS} p ON p.id = o.participant_id
             LEFT JOIN ${MEMBER_ROWS} m ON m.id = o.member_id
        WHERE o.quarter_id = $1 AND o.workspace_id = $2 AND o.bounced_at IS NOT NULL
        ORDER BY o.bounced_at DESC LIMIT $3)
       UNION ALL
       (SELECT 'suppressed', o.id, o.step_key, o.participant_id, o.member_id, p.email,
               substr(o.last_error, ${BOUNCED_PREFIX.length + 1}), o.updated_at
        FROM outbox_message o LEFT JOIN ${PARTICIPANT_ROWS} p ON p.id = o.participant_id
        WHERE o.quarter_id = $1 AND o.workspace_id = $2 AND o.status = 'suppressed'
          AND o.last_error LIKE '${BOUNCED_PREFIX}%'
        ORDER BY o.updated_at DESC LIMIT $3)`,
      [quarterId, workspaceId, limit],
    );
  }

  // What the coach sees of a quarter's mail.

  async countsByStep(
    workspaceId: string,
    quarterId: string,
  ): Promise<{ stepKey: string; status: OutboxStatus; n: number }[]> {
    return this.dataSource.query(
      `SELECT step_key AS "stepKey", status, count(*)::int AS n FROM outbox_message
       WHERE quarter_id = $1 AND workspace_id = $2 GROUP BY 1, 2`,
      [quarterId, workspaceId],
    );
  }

  /** The quarter's failed mail, newest first, with the address it went to. */
  async failures(workspaceId: string, quarterId: string, limit: number): Promise<FailedMail[]> {
    return this.dataSource.query(
      `SELECT o.id, o.step_key AS "stepKey", o.participant_id AS "participantId", o.member_id AS "memberId",
              coalesce(p.email, m.email) AS email, o.attempts, o.last_error AS "lastError", o.updated_at AS "updatedAt"
       FROM outbox_message o LEFT JOIN ${PARTICIPANT_ROWS} p ON p.id = o.participant_id LEFT JOIN ${MEMBER_ROWS} m ON m.id = o.member_id
       WHERE o.quarter_id = $1 AND o.workspace_id = $2 AND o.status = 'failed'
       ORDER BY o.updated_at DESC LIMIT $3`,
      [quarterId, workspaceId, limit],
    );
  }

  /** When the quarter's next waiting mail is due; null when none waits. */
  async nextDueAt(workspaceId: string, quarterId: string): Promise<Date | null> {
    const [next] = await this.dataSource.query(
      `SELECT min(coalesce(deferred_until, due_at)) AS "nextDueAt" FROM outbox_message
       WHERE quarter_id = $1 AND workspace_id = $2 AND status IN ('pending', 'deferred')`,
      [quarterId, workspaceId],
    );
    return next?.nextDueAt ?? null;
  }

  /** How many mails of each quarter failed for good. */
  async failedByQuarter(workspaceId: string, quarterIds: string[]): Promise<Map<string, number>> {
    const rows: { quarterId: string; failed: number }[] = await this.dataSource.query(
      `SELECT quarter_id AS "quarterId", count(*)::int AS failed FROM outbox_message
       WHERE workspace_id = $1 AND quarter_id = ANY($2::uuid[]) AND status = 'failed'
       GROUP BY quarter_id`,
      [workspaceId, quarterIds],
    );
    return new Map(rows.map((r) => [r.quarterId, r.failed]));
  }

  /** The quarter's failed mail (all, or these) pending again, due `now`, while its recipient exists. */
  async retryFailed(
    workspaceId: string,
    quarterId: string,
    now: Date,
    ids: string[] | undefined,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    return returned(
      await manager.query(
        `UPDATE outbox_message SET status = 'pending', attempts = 0, claimed_at = NULL, due_at = $3, updated_at = now()
         WHERE quarter_id = $1 AND workspace_id = $2 AND status = 'failed' AND ($4::uuid[] IS NULL OR id = ANY($4::uuid[]))
           AND (participant_id IS NOT NULL OR member_id IS NOT NULL)
         RETURNING id`,
        [quarterId, workspaceId, now, ids ?? null],
      ),
    ).length;
  }

  // The operator's figures, over every workspace.

  /** Rows by status, from the tally the table's triggers keep (never a scan of the rows). */
  async countsByStatus(): Promise<{ status: OutboxStatus; n: number }[]> {
    return this.dataSource.query(
      `SELECT label AS status, sum(value)::bigint::int AS n FROM outbox_tally WHERE metric = 'rows' GROUP BY label`,
    );
  }

  /**
   * Seconds from due to sent of every mail ever sent, as a histogram (its bounds and cumulative counts,
   * count and sum), from the tally the table's triggers keep: it only grows, deletions aside.
   */
  async sendLatency(): Promise<SendLatency> {
    const rows: { metric: string; label: string; value: number }[] = await this.dataSource.query(
      `SELECT metric, label, sum(value)::float8 AS value FROM outbox_tally
       WHERE metric IN ('latency_bucket', 'latency_sum') GROUP BY metric, label`,
    );
    // The tally keeps a count per bucket (a mail adds to one row); the histogram's counts are cumulative.
    const perBucket = rows
      .filter((row) => row.metric === 'latency_bucket')
      .map((row) => ({ le: row.label === '+Inf' ? Infinity : Number(row.label), n: row.value }))
      .sort((a, b) => a.le - b.le);
    let count = 0;
    const buckets: SendLatency['buckets'] = [];
    for (const { le, n } of perBucket) {
      count += n;
      if (le !== Infinity) buckets.push({ le, n: count });
    }
    const sum = rows.find((row) => row.metric === 'latency_sum')?.value ?? 0;
    return { count, sum, buckets };
  }

  /**
   * Deletes up to `limit` finished rows (sent, failed, suppressed) due before `cutoff`, oldest first;
   * how many it deleted. The retention rules call it until a batch comes back short.
   */
  async purgeFinished(cutoff: Date, limit: number): Promise<number> {
    const deleted = await this.dataSource.query(
      `DELETE FROM outbox_message WHERE id IN (
         SELECT id FROM outbox_message
         WHERE status IN ('sent', 'failed', 'suppressed') AND due_at < $1
         ORDER BY due_at LIMIT $2)`,
      [cutoff, limit],
    );
    return affected(deleted);
  }

  // Erasure: what the outbox keeps of a person.

  /** The person's waiting mail suppressed, and what the rows said of a failure replaced by `erased`. */
  async forgetParticipant(
    workspaceId: string,
    participantId: string,
    erased: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows = returned<{ id: string }>(
      await manager.query(
        `UPDATE outbox_message
         SET last_error = CASE WHEN last_error IS NULL THEN NULL ELSE $3 END,
             status = CASE WHEN ${UNSENT} THEN 'suppressed' ELSE status END,
             deferred_until = NULL, deferred_reason = NULL, updated_at = now()
         WHERE workspace_id = $1 AND participant_id = $2
         RETURNING id`,
        [workspaceId, participantId, erased],
      ),
    );
    return rows.map((row) => row.id);
  }

  /** Rows of erased people whose key still names them (all, or of these), after `after` in id order. */
  async erasedNotCleared(ids: string[] | undefined, after: string, limit: number): Promise<QueuedMail[]> {
    return this.dataSource.query(
      `SELECT id, key, generation FROM outbox_message
       WHERE participant_id IS NULL AND key ~ '${PARTICIPANT_KEY}' AND id > $2
         AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))
       ORDER BY id LIMIT $3`,
      [ids ?? null, after, limit],
    );
  }

  /** The participant an unsubscribe token with this digest was made for (`claimWithToken`), if known. */
  async unsubscribeTokenOwner(
    tokenHash: Buffer,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string | undefined> {
    const [row] = returned<{ participant_id: string }>(
      await manager.query(`SELECT participant_id FROM unsubscribe_token WHERE token_hash = $1`, [tokenHash]),
    );
    return row?.participant_id;
  }

  /** The person's id out of these rows' keys (`.erased.{row id}` instead); returns how many. */
  async clearErasedKeys(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<number> {
    return returned(
      await manager.query(
        `UPDATE outbox_message SET key = regexp_replace(key, '${PARTICIPANT_KEY}', '.erased.' || id), updated_at = now()
         WHERE id = ANY($1::uuid[]) AND participant_id IS NULL AND key ~ '${PARTICIPANT_KEY}'
         RETURNING id`,
        [ids],
      ),
    ).length;
  }
}

/** The columns a send may change, by property (`claimedAt` → `claimed_at`). */
const column = (key: keyof OutboxPatch) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const CLAIM_READ = `
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
       o.bounced_at AS "bouncedAt", o.bounce_reason AS "bounceReason",
       r.found AS "recipientFound", r.email, r.name, r.locale, r.time_zone AS "timeZone",
       r.unsubscribed_at AS "unsubscribedAt", r.bounced_at AS "recipientBouncedAt",
       r.bounce_reason AS "recipientBounceReason",
       f.found AS "factsFound", f.organization_name AS "organizationName", f.pilot_name AS "pilotName",
       f.wave_number AS "waveNumber", f.label, f.number, to_char(f.ends_on, 'YYYY-MM-DD') AS "endsOn",
       f.coach_name AS "coachName", f.weekly_email_cap AS "weeklyEmailCap",
       f.quiet_hours_start AS "quietHoursStart", f.quiet_hours_end AS "quietHoursEnd",
       f.quiet_periods AS "quietPeriods", f.organization_time_zone AS "organizationTimeZone",
       (o.due_at AT TIME ZONE r.time_zone)::date - f.starts_on AS "dayOfQuarter",
       f.ends_on - (o.due_at AT TIME ZONE r.time_zone)::date AS "daysLeft",
       COALESCE(st.text ->> 'subject', t.subject) AS "overrideSubject",
       COALESCE(st.text ->> 'body', t.body) AS "overrideBody",
       (SELECT sq.daily_limit FROM send_quota sq WHERE sq.workspace_id = o.workspace_id) AS "dailySendLimit"
FROM locked o
CROSS JOIN participant_lock
LEFT JOIN LATERAL (
  SELECT true AS found, pa.email, pa.name, pa.locale, pa.time_zone, pa.unsubscribed_at, pa.bounced_at,
         pa.bounce_reason
  FROM ${PARTICIPANT_ROWS} pa WHERE pa.id = o.participant_id
  UNION ALL
  SELECT true, m.email, m.name, org.default_locale, org.time_zone, NULL::timestamptz, NULL::timestamptz, NULL::text
  FROM ${MEMBER_ROWS} m, ${QUARTER_ROWS} mq JOIN ${ORGANIZATION_ROWS} org ON org.id = mq.organization_id
  WHERE o.participant_id IS NULL AND m.id = o.member_id AND mq.id = o.quarter_id
) r ON true
LEFT JOIN LATERAL (
  SELECT true AS found, org.name AS organization_name, p.name AS pilot_name, p.wave_number, q.label, q.number,
         q.starts_on, q.ends_on, c.name AS coach_name, ro.weekly_email_cap, ro.quiet_hours_start, ro.quiet_hours_end,
         ro.id AS rollout_id, q.organization_id, org.quiet_periods, org.time_zone AS organization_time_zone
  FROM ${QUARTER_ROWS} q
  JOIN ${PILOT_ROWS} p ON p.id = q.pilot_id
  JOIN ${ROLLOUT_ROWS} ro ON ro.id = p.rollout_id
  JOIN ${ORGANIZATION_ROWS} org ON org.id = q.organization_id
  LEFT JOIN ${MEMBER_ROWS} c ON c.id = p.coach_id
  WHERE q.id = o.quarter_id
) f ON true
-- The most specific override of the template in the recipient's language: the rollout's, the organization's, the workspace's.
LEFT JOIN LATERAL (
  SELECT mt.subject, mt.body FROM ${MESSAGE_TEMPLATE_ROWS} mt
  WHERE mt.workspace_id = o.workspace_id AND mt.name = o.template AND mt.locale = r.locale
    AND (mt.rollout_id IS NULL OR mt.rollout_id = f.rollout_id)
    AND (mt.organization_id IS NULL OR mt.organization_id = f.organization_id)
  ORDER BY mt.rollout_id IS NULL, mt.organization_id IS NULL LIMIT 1
) t ON true
-- The step's own text in that language, from the plan the pilot follows (its own, else its rollout's); it wins.
LEFT JOIN LATERAL (
  SELECT s.texts -> r.locale AS text FROM ${CADENCE_STEP_ROWS} s
  WHERE s.key = o.step_key AND s.template = o.template AND s.texts -> r.locale IS NOT NULL
    AND (s.pilot_id = o.pilot_id
         OR (s.pilot_id IS NULL AND s.rollout_id = f.rollout_id
             AND NOT EXISTS (SELECT 1 FROM ${CADENCE_STEP_ROWS} own WHERE own.pilot_id = o.pilot_id)))
  LIMIT 1
) st ON true`;
