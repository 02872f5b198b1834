import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CADENCE_DISPATCH_ROWS } from '../cadence/relations';
import { CHECK_IN_ROWS, KEY_RESULT_ROWS, OBJECTIVE_ROWS } from '../okrs/relations';
import { ORGANIZATION_ROWS, ROLLOUT_ROWS } from '../organizations/relations';
import { PILOT_ROWS, QUARTER_ROWS } from '../pilots/relations';
import { LEARNING_REPORT_ROWS } from '../reports/relations';
import { INVITATION_ROWS, RETROSPECTIVE_ROWS } from '../surveys/relations';
import { PARTICIPANT_ROWS, PILOT_MEMBERSHIP_ROWS } from '../participants/relations';
import { MEMBER_ROWS } from '../workspaces/relations';
import type { BouncedRow, PilotRow, ReportRow } from './portfolio.service';

const WEEK_SECONDS = 7 * 24 * 3600;

/**
 * The portfolio's reads: a handful of set-based queries over all the pilots of a workspace at once. The
 * portfolio owns no table: it reads the other features' rows through their relations.
 */
@Injectable()
export class PortfolioStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Every pilot of the workspace with its current quarter: the active one, else the latest closed one,
   * else the first upcoming. With `coachId`, only the organizations where that member coaches a pilot.
   */
  pilots(workspaceId: string, coachId: string | null, now: Date): Promise<PilotRow[]> {
    return this.dataSource.query(
      `SELECT p.id, p.name, p.wave_number AS "waveNumber", p.state, p.coach_id AS "coachId", c.name AS "coachName",
              o.id AS "organizationId", o.name AS "organizationName", r.id AS "rolloutId", r.goal,
              q.id AS "quarterId", q.label, q.number, q.state AS "quarterState",
              to_char(q.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(q.ends_on, 'YYYY-MM-DD') AS "endsOn",
              LEAST(GREATEST(floor(extract(epoch FROM ($3::timestamptz - q.starts_at)) / ${WEEK_SECONDS})::int + 1, 0),
                    ceil(extract(epoch FROM (q.ends_at - q.starts_at)) / ${WEEK_SECONDS})::int) AS week,
              ceil(extract(epoch FROM (q.ends_at - q.starts_at)) / ${WEEK_SECONDS})::int AS "weeksInQuarter",
              (p.state = 'running' AND q.state = 'active' AND q.ends_at <= $3::timestamptz) AS "waitingForReview"
       FROM ${PILOT_ROWS} p
       JOIN ${ORGANIZATION_ROWS} o ON o.id = p.organization_id
       JOIN ${ROLLOUT_ROWS} r ON r.id = p.rollout_id
       LEFT JOIN ${MEMBER_ROWS} c ON c.id = p.coach_id
       LEFT JOIN LATERAL (
         SELECT * FROM ${QUARTER_ROWS} q WHERE q.pilot_id = p.id
         ORDER BY CASE q.state WHEN 'active' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END,
                  CASE WHEN q.state = 'closed' THEN -q.number ELSE q.number END
         LIMIT 1) q ON true
       WHERE p.workspace_id = $1
         AND ($2::uuid IS NULL OR p.organization_id IN (
               SELECT organization_id FROM ${PILOT_ROWS} pilot WHERE workspace_id = $1 AND coach_id = $2))`,
      [workspaceId, coachId, now],
    );
  }

  /**
   * Of each quarter's retrospective: how many were invited, how many answered. Counted run by run (each
   * through the invitations' index) rather than by joining every invitation of the workspace.
   */
  responseRates(
    workspaceId: string,
    quarterIds: string[],
  ): Promise<{ quarterId: string; invited: number; responded: number }[]> {
    return this.dataSource.query(
      `SELECT r.quarter_id AS "quarterId", sum(c.invited)::int AS invited, sum(c.responded)::int AS responded
       FROM ${RETROSPECTIVE_ROWS} r
       CROSS JOIN LATERAL (
         SELECT count(*) AS invited, count(*) FILTER (WHERE i.used) AS responded
         FROM ${INVITATION_ROWS} i WHERE i.retrospective_id = r.id) c
       WHERE r.workspace_id = $1 AND r.quarter_id = ANY($2::uuid[])
       GROUP BY r.quarter_id`,
      [workspaceId, quarterIds],
    );
  }

  /**
   * The check-in rhythm of many quarters at once (each up to its week in `weeks`), by the practice
   * signals' rule: weeks due and weeks done, over the owners of key results. Every owner of a quarter is
   * due every requested week, so `due` is owners × requested weeks, and `done` the owners' distinct
   * check-in weeks among the requested ones (counted without listing each owner's every week).
   */
  rhythms(
    workspaceId: string,
    quarterIds: string[],
    weeks: number[],
  ): Promise<{ quarterId: string; due: number; done: number }[]> {
    return this.dataSource.query(
      `WITH current AS (
         SELECT * FROM unnest($2::uuid[], $3::int[]) AS c(quarter_id, week)
       ),
       owned AS (
         SELECT kr.quarter_id, kr.id AS key_result_id, COALESCE(kr.owner_id, o.owner_id) AS participant_id
         FROM ${KEY_RESULT_ROWS} kr JOIN ${OBJECTIVE_ROWS} o ON o.id = kr.objective_id
         WHERE kr.workspace_id = $1 AND kr.quarter_id = ANY($2::uuid[])
           AND COALESCE(kr.owner_id, o.owner_id) IS NOT NULL
       ),
       owners AS (SELECT DISTINCT quarter_id, participant_id FROM owned),
       requested AS (
         SELECT DISTINCT d.quarter_id, (d.step_date - q.starts_on) / 7 + 1 AS week
         FROM ${CADENCE_DISPATCH_ROWS} d
         JOIN ${QUARTER_ROWS} q ON q.id = d.quarter_id
         JOIN current c ON c.quarter_id = d.quarter_id
         WHERE d.workspace_id = $1 AND d.kind = 'checkin_request' AND d.skipped_reason IS NULL
           AND (d.step_date - q.starts_on) / 7 + 1 <= c.week
       ),
       done AS (
         SELECT DISTINCT owned.quarter_id, owned.participant_id, ci.week
         FROM ${CHECK_IN_ROWS} ci JOIN owned ON owned.key_result_id = ci.key_result_id
         WHERE ci.workspace_id = $1 AND ci.quarter_id = ANY($2::uuid[])
       )
       SELECT ow.quarter_id AS "quarterId", (ow.n * COALESCE(r.n, 0))::int AS due, COALESCE(dn.n, 0)::int AS done
       FROM (SELECT quarter_id, count(*) AS n FROM owners GROUP BY quarter_id) ow
       LEFT JOIN (SELECT quarter_id, count(*) AS n FROM requested GROUP BY quarter_id) r ON r.quarter_id = ow.quarter_id
       LEFT JOIN (SELECT done.quarter_id, count(*) AS n FROM done
                  JOIN requested ON requested.quarter_id = done.quarter_id AND requested.week = done.week
                  GROUP BY done.quarter_id) dn ON dn.quarter_id = ow.quarter_id`,
      [workspaceId, quarterIds, weeks],
    );
  }

  /** Every quarter of these pilots that has, or should have, a learning report; flags only of ready ones. */
  reports(workspaceId: string, pilotIds: string[]): Promise<ReportRow[]> {
    return this.dataSource.query(
      `SELECT q.pilot_id AS "pilotId", q.id AS "quarterId", q.label,
              (q.state = 'closed' OR rt.state = 'closed') AS "quarterClosed",
              lr.id AS "reportId", lr.status, lr.built_at AS "builtAt",
              CASE WHEN lr.status = 'ready' THEN COALESCE(lr.content -> 'flags', '[]') END AS flags
       FROM ${QUARTER_ROWS} q
       LEFT JOIN ${RETROSPECTIVE_ROWS} rt ON rt.quarter_id = q.id
       LEFT JOIN ${LEARNING_REPORT_ROWS} lr ON lr.quarter_id = q.id
       WHERE q.workspace_id = $1 AND q.pilot_id = ANY($2::uuid[])
         AND (q.state = 'closed' OR rt.state = 'closed' OR lr.id IS NOT NULL)
       ORDER BY q.pilot_id, q.number`,
      [workspaceId, pilotIds],
    );
  }

  /** The participants of these pilots whose mail bounced (and is not cleared), by pilot and address. */
  bounced(workspaceId: string, pilotIds: string[]): Promise<BouncedRow[]> {
    return this.dataSource.query(
      `SELECT m.pilot_id AS "pilotId", pa.id AS "participantId", pa.name, pa.email,
              pa.bounce_reason AS reason, pa.bounced_at AS "bouncedAt"
       FROM ${PILOT_MEMBERSHIP_ROWS} m JOIN ${PARTICIPANT_ROWS} pa ON pa.id = m.participant_id
       WHERE m.workspace_id = $1 AND m.pilot_id = ANY($2::uuid[]) AND pa.bounced_at IS NOT NULL
       ORDER BY m.pilot_id, pa.email`,
      [workspaceId, pilotIds],
    );
  }
}
