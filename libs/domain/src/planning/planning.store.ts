import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  PlanningEntry,
  PlanningRevision,
  type KeyResultKind,
  type KeyResultMeasure,
  type Locale,
  type PlanningEntryKind,
  type PlanningEntryStatus,
  type QuarterState,
} from '@luotsi/database';
import { affected, returned } from '../common/sql';
import { Tenancy } from '../tenancy/tenancy.service';
import { PILOT_ROWS, QUARTER_ROWS } from '../pilots/relations';
import { ORGANIZATION_ROWS } from '../organizations/relations';
import { PARTICIPANT_ROWS, PILOT_MEMBERSHIP_ROWS } from '../participants/relations';
import { KEY_RESULT_ROWS, OBJECTIVE_ROWS } from '../okrs/relations';

/** A quarter as the planning dialogue needs it. */
export interface PlannedQuarter {
  id: string;
  workspace_id: string;
  pilot_id: string;
  number: number;
  label: string;
  state: QuarterState;
  starts_on: string;
  ends_at: Date;
}

/** What a planning link opens: whose it is, and which quarter of which pilot. */
export interface PlanningTokenRow {
  workspace_id: string;
  quarter_id: string;
  participant_id: string;
  expires_at: Date;
  name: string;
  locale: Locale;
  pilot_id: string;
  pilot_name: string;
  quarter_label: string;
  quarter_state: QuarterState;
  starts_on: string;
  /** Whether the person is still in the pilot. */
  member: boolean;
}

export interface DraftObjectiveRow {
  id: string;
  title: string;
  description: string;
  owner_id: string | null;
  owner_name: string | null;
}

export interface DraftKeyResultRow {
  id: string;
  objective_id: string;
  title: string;
  kind: KeyResultKind;
  measure: KeyResultMeasure;
  start_value: number | null;
  target_value: number | null;
  unit: string;
  owner_id: string | null;
  owner_name: string | null;
}

export interface EntryRow {
  id: string;
  objective_id: string;
  key_result_id: string | null;
  participant_id: string;
  author_name: string;
  kind: PlanningEntryKind;
  body: string;
  proposed_title: string | null;
  status: PlanningEntryStatus;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export interface RevisionRow {
  id: string;
  objective_id: string;
  key_result_id: string | null;
  previous_title: string;
  new_title: string;
  entry_id: string | null;
  created_at: Date;
}

/** A quarter's planning dialogue on one day that has ended, as its digests need it. */
export interface DigestDay {
  quarter_id: string;
  workspace_id: string;
  pilot_id: string;
  coach_id: string | null;
  /** The organization's day (`YYYY-MM-DD`) the entries were written on, and its time zone. */
  day: string;
  zone: string;
}

/** The quarter a digest is of, with what its mail says of it. */
export interface DigestQuarter {
  id: string;
  workspace_id: string;
  pilot_id: string;
  label: string;
  starts_on: string;
  ends_at: Date;
  zone: string;
}

/** An entry in a digest: who wrote what on which draft (its current title). */
export interface DigestEntryRow {
  id: string;
  participant_id: string;
  author_name: string;
  kind: PlanningEntryKind;
  body: string;
  proposed_title: string | null;
  target_title: string;
  created_at: Date;
}

/**
 * The entries of a quarter written on a day (`$2`, in the zone `$3`), with the people who follow each:
 * those who wrote on the same draft (the objective itself, or the same key result) before it, and the
 * owners of its key result and of its objective, never its own author.
 */
const DAY_ENTRY_FOLLOWERS = `
  WITH day_entries AS (
    SELECT e.id, e.quarter_id, e.objective_id, e.key_result_id, e.participant_id, e.created_at
    FROM planning_entry e
    WHERE e.quarter_id = $1
      AND e.created_at >= ($2::date)::timestamp AT TIME ZONE $3::text
      AND e.created_at < ($2::date + 1)::timestamp AT TIME ZONE $3::text
  )
  SELECT f.entry_id, f.participant_id FROM (
    SELECT d.id AS entry_id, p.participant_id FROM day_entries d
    JOIN planning_entry p ON p.quarter_id = d.quarter_id AND p.objective_id = d.objective_id
     AND p.key_result_id IS NOT DISTINCT FROM d.key_result_id AND p.created_at < d.created_at
    UNION
    SELECT d.id, o.owner_id FROM day_entries d JOIN ${OBJECTIVE_ROWS} o ON o.id = d.objective_id
    WHERE o.owner_id IS NOT NULL
    UNION
    SELECT d.id, k.owner_id FROM day_entries d JOIN ${KEY_RESULT_ROWS} k ON k.id = d.key_result_id
    WHERE k.owner_id IS NOT NULL
  ) f JOIN day_entries d ON d.id = f.entry_id
  WHERE f.participant_id <> d.participant_id`;

type NewEntry = Pick<
  PlanningEntry,
  | 'workspaceId'
  | 'quarterId'
  | 'pilotId'
  | 'objectiveId'
  | 'keyResultId'
  | 'participantId'
  | 'kind'
  | 'body'
  | 'proposedTitle'
>;

/**
 * The planning dialogue's tables (`planning_token`, `planning_entry`, `planning_revision`): the only code
 * with SQL for them. Drafts, people and quarters are read through their features' relations. A link's
 * reads take the quarter and person its token names; a member's go through the actor's scope.
 */
@Injectable()
export class PlanningStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: Tenancy,
  ) {}

  private entries(manager?: EntityManager) {
    return this.tenancy.repo(PlanningEntry, 'planning entry', manager);
  }

  /** The quarter after this one in its pilot, if there is one. */
  async nextQuarter(manager: EntityManager, quarterId: string): Promise<PlannedQuarter | null> {
    const [row] = await manager.query(
      `SELECT n.id, n.workspace_id, n.pilot_id, n.number, n.label, n.state, n.starts_on::text AS starts_on, n.ends_at
       FROM ${QUARTER_ROWS} q JOIN ${QUARTER_ROWS} n ON n.pilot_id = q.pilot_id AND n.number = q.number + 1
       WHERE q.id = $1`,
      [quarterId],
    );
    return (row as PlannedQuarter | undefined) ?? null;
  }

  async quarter(manager: EntityManager, quarterId: string): Promise<PlannedQuarter | null> {
    const [row] = await manager.query(
      `SELECT id, workspace_id, pilot_id, number, label, state, starts_on::text AS starts_on, ends_at
       FROM ${QUARTER_ROWS} q WHERE id = $1`,
      [quarterId],
    );
    return (row as PlannedQuarter | undefined) ?? null;
  }

  /** How many objectives the quarter has. */
  async objectiveCount(manager: EntityManager, quarterId: string): Promise<number> {
    const [row] = await manager.query(
      `SELECT count(*)::int AS n FROM ${OBJECTIVE_ROWS} o WHERE o.quarter_id = $1`,
      [quarterId],
    );
    return (row as { n: number }).n;
  }

  /** Whether anyone was sent a planning link to the quarter (it was planned in dialogue). */
  async hasTokens(manager: EntityManager, quarterId: string): Promise<boolean> {
    const [row] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM planning_token WHERE quarter_id = $1) AS found`,
      [quarterId],
    );
    return (row as { found: boolean }).found;
  }

  async createToken(
    manager: EntityManager,
    token: { hash: Buffer; workspaceId: string; quarterId: string; participantId: string; expiresAt: Date },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO planning_token (token_hash, workspace_id, quarter_id, participant_id, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [token.hash, token.workspaceId, token.quarterId, token.participantId, token.expiresAt],
    );
  }

  async findToken(hash: Buffer): Promise<PlanningTokenRow | null> {
    const [row] = await this.dataSource.query(
      `SELECT t.workspace_id, t.quarter_id, t.participant_id, t.expires_at, p.name, p.locale,
              q.pilot_id, pi.name AS pilot_name, q.label AS quarter_label, q.state AS quarter_state,
              q.starts_on::text AS starts_on,
              EXISTS (SELECT 1 FROM ${PILOT_MEMBERSHIP_ROWS} m
                      WHERE m.pilot_id = q.pilot_id AND m.participant_id = t.participant_id) AS member
       FROM planning_token t
       JOIN ${PARTICIPANT_ROWS} p ON p.id = t.participant_id
       JOIN ${QUARTER_ROWS} q ON q.id = t.quarter_id
       JOIN ${PILOT_ROWS} pi ON pi.id = q.pilot_id
       WHERE t.token_hash = $1`,
      [hash],
    );
    return (row as PlanningTokenRow | undefined) ?? null;
  }

  /** The quarter's objectives in order, with their owners' names. */
  async draftObjectives(quarterId: string, manager?: EntityManager): Promise<DraftObjectiveRow[]> {
    return (manager ?? this.dataSource.manager).query(
      `SELECT o.id, o.title, o.description, o.owner_id, p.name AS owner_name
       FROM ${OBJECTIVE_ROWS} o LEFT JOIN ${PARTICIPANT_ROWS} p ON p.id = o.owner_id
       WHERE o.quarter_id = $1 ORDER BY o.position, o.created_at, o.id`,
      [quarterId],
    );
  }

  /** The quarter's key results in order, with their owners' names. */
  async draftKeyResults(quarterId: string, manager?: EntityManager): Promise<DraftKeyResultRow[]> {
    return (manager ?? this.dataSource.manager).query(
      `SELECT k.id, k.objective_id, k.title, k.kind, k.measure, k.start_value, k.target_value, k.unit,
              k.owner_id, p.name AS owner_name
       FROM ${KEY_RESULT_ROWS} k LEFT JOIN ${PARTICIPANT_ROWS} p ON p.id = k.owner_id
       WHERE k.quarter_id = $1 ORDER BY k.position, k.created_at, k.id`,
      [quarterId],
    );
  }

  /** What was said about the quarter's drafts, oldest first, with each author's name. */
  async entriesOf(quarterId: string, manager?: EntityManager): Promise<EntryRow[]> {
    return (manager ?? this.dataSource.manager).query(
      `SELECT e.id, e.objective_id, e.key_result_id, e.participant_id, p.name AS author_name, e.kind, e.body,
              e.proposed_title, e.status, e.created_at, e.updated_at, e.closed_at
       FROM planning_entry e JOIN ${PARTICIPANT_ROWS} p ON p.id = e.participant_id
       WHERE e.quarter_id = $1 ORDER BY e.created_at, e.id`,
      [quarterId],
    );
  }

  async revisionsOf(quarterId: string, manager?: EntityManager): Promise<RevisionRow[]> {
    return (manager ?? this.dataSource.manager).query(
      `SELECT id, objective_id, key_result_id, previous_title, new_title, entry_id, created_at
       FROM planning_revision WHERE quarter_id = $1 ORDER BY created_at, id`,
      [quarterId],
    );
  }

  /** Stores an entry written at `at` (the app's clock, so digests and reports count on the same time). */
  async insertEntry(manager: EntityManager, entry: NewEntry, at: Date): Promise<string> {
    const [row] = returned<{ id: string }>(
      await manager.query(
        `INSERT INTO planning_entry (workspace_id, quarter_id, pilot_id, objective_id, key_result_id, participant_id,
                                     kind, body, proposed_title, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
        [
          entry.workspaceId,
          entry.quarterId,
          entry.pilotId,
          entry.objectiveId,
          entry.keyResultId,
          entry.participantId,
          entry.kind,
          entry.body,
          entry.proposedTitle,
          at,
        ],
      ),
    );
    return row.id;
  }

  /**
   * Changes an entry's text, if it is the person's own, of the quarter, still open, and the quarter has not
   * started; whether it did.
   */
  async editEntry(
    manager: EntityManager,
    key: { id: string; quarterId: string; participantId: string },
    text: { body: string; proposedTitle: string | null },
    at: Date,
  ): Promise<boolean> {
    const rows = returned(
      await manager.query(
        `UPDATE planning_entry SET body = $4, proposed_title = CASE WHEN kind = 'rewording' THEN $5 ELSE NULL END,
                updated_at = $6
         WHERE id = $1 AND quarter_id = $2 AND participant_id = $3 AND status = 'open'
           AND EXISTS (SELECT 1 FROM ${QUARTER_ROWS} q WHERE q.id = $2 AND q.state = 'upcoming')
         RETURNING id`,
        [key.id, key.quarterId, key.participantId, text.body, text.proposedTitle, at],
      ),
    );
    return rows.length > 0;
  }

  /** An entry in the actor's workspace, locked for the coach's decision. */
  entryForUpdate(id: string, manager: EntityManager): Promise<PlanningEntry> {
    return this.entries(manager).get(id, { lock: true });
  }

  /** The coach's decision on an entry (read through the actor's scope already): its text and times stay. */
  async closeEntry(
    manager: EntityManager,
    entry: PlanningEntry,
    decision: { status: PlanningEntryStatus; at: Date; by: string | null },
  ): Promise<void> {
    await manager.query(
      `UPDATE planning_entry SET status = $2, closed_at = $3, closed_by = $4 WHERE id = $1`,
      [entry.id, decision.status, decision.at, decision.by],
    );
  }

  async insertRevision(
    manager: EntityManager,
    revision: Pick<
      PlanningRevision,
      | 'workspaceId'
      | 'quarterId'
      | 'objectiveId'
      | 'keyResultId'
      | 'previousTitle'
      | 'newTitle'
      | 'entryId'
      | 'acceptedBy'
    >,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO planning_revision (workspace_id, quarter_id, objective_id, key_result_id, previous_title, new_title,
                                      entry_id, accepted_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        revision.workspaceId,
        revision.quarterId,
        revision.objectiveId,
        revision.keyResultId,
        revision.previousTitle,
        revision.newTitle,
        revision.entryId,
        revision.acceptedBy,
        at,
      ],
    );
  }

  // The daily digests

  /**
   * The quarters with entries written on the organization's day before `now` (yesterday, in the
   * organization's time zone), with that day and the pilot's coach.
   */
  async digestDays(now: Date): Promise<DigestDay[]> {
    return this.dataSource.query(
      `SELECT DISTINCT e.quarter_id, e.workspace_id, e.pilot_id, pi.coach_id,
              (e.created_at AT TIME ZONE org.time_zone)::date::text AS day, org.time_zone AS zone
       FROM planning_entry e
       JOIN ${QUARTER_ROWS} q ON q.id = e.quarter_id
       JOIN ${ORGANIZATION_ROWS} org ON org.id = q.organization_id
       JOIN ${PILOT_ROWS} pi ON pi.id = e.pilot_id
       WHERE e.created_at >= $1::timestamptz - interval '3 days'
         AND (e.created_at AT TIME ZONE org.time_zone)::date = ($1::timestamptz AT TIME ZONE org.time_zone)::date - 1
       ORDER BY day, e.quarter_id`,
      [now],
    );
  }

  /** Who gets a digest of the quarter's day: the followers of at least one entry written that day. */
  async digestFollowers(
    manager: EntityManager,
    quarterId: string,
    day: string,
    zone: string,
  ): Promise<string[]> {
    const rows: { participant_id: string }[] = await manager.query(
      `SELECT DISTINCT participant_id FROM (${DAY_ENTRY_FOLLOWERS}) x ORDER BY participant_id`,
      [quarterId, day, zone],
    );
    return rows.map((row) => row.participant_id);
  }

  async digestQuarter(manager: EntityManager, quarterId: string): Promise<DigestQuarter | null> {
    const [row] = await manager.query(
      `SELECT q.id, q.workspace_id, q.pilot_id, q.label, q.starts_on::text AS starts_on, q.ends_at, org.time_zone AS zone
       FROM ${QUARTER_ROWS} q JOIN ${ORGANIZATION_ROWS} org ON org.id = q.organization_id WHERE q.id = $1`,
      [quarterId],
    );
    return (row as DigestQuarter | undefined) ?? null;
  }

  /**
   * The entries of the quarter's day, oldest first: all of them (`participantId` null, the coach's
   * digest), or those the participant follows.
   */
  async digestEntries(
    manager: EntityManager,
    quarter: { id: string; zone: string },
    day: string,
    participantId: string | null,
  ): Promise<DigestEntryRow[]> {
    return manager.query(
      `SELECT e.id, e.participant_id, p.name AS author_name, e.kind, e.body, e.proposed_title,
              coalesce(k.title, o.title) AS target_title, e.created_at
       FROM planning_entry e
       JOIN ${PARTICIPANT_ROWS} p ON p.id = e.participant_id
       JOIN ${OBJECTIVE_ROWS} o ON o.id = e.objective_id
       LEFT JOIN ${KEY_RESULT_ROWS} k ON k.id = e.key_result_id
       WHERE e.quarter_id = $1
         AND e.created_at >= ($2::date)::timestamp AT TIME ZONE $3::text
         AND e.created_at < ($2::date + 1)::timestamp AT TIME ZONE $3::text
         AND ($4::uuid IS NULL
              OR e.id IN (SELECT entry_id FROM (${DAY_ENTRY_FOLLOWERS}) x WHERE x.participant_id = $4::uuid))
       ORDER BY e.created_at, e.id`,
      [quarter.id, day, quarter.zone, participantId],
    );
  }

  /** Retention: tokens expired before `cutoff`, up to `limit`; how many went. */
  async purgeExpiredTokens(cutoff: Date, limit: number): Promise<number> {
    return affected(
      await this.dataSource.query(
        `DELETE FROM planning_token WHERE token_hash IN (
           SELECT token_hash FROM planning_token WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)`,
        [cutoff, limit],
      ),
    );
  }
}
