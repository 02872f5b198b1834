import type { DataSource, EntityManager } from 'typeorm';
import type { Audience, StepKind } from '@luotsi/database';
import { DEFAULT_CADENCE } from './default-cadence';

/** A step of a quarter's plan with its day, not dispatched yet. */
export interface PlannedStep {
  quarterId: string;
  workspaceId: string;
  pilotId: string;
  organizationId: string;
  organizationTimeZone: string;
  coachId: string | null;
  key: string;
  kind: StepKind;
  template: string;
  audience: Audience;
  /** Local `HH:MM`. */
  sendTime: string;
  /** `YYYY-MM-DD`. */
  stepDate: string;
  /** The step's day at its send time in the organization's zone. */
  sendsAt: Date;
  /** The quarter's activation day in the organization's zone (`YYYY-MM-DD`); null before it. */
  activatedOn: string | null;
  /** Today in the organization's zone (`YYYY-MM-DD`). */
  today: string;
}

export interface StepPlanScope {
  now: Date;
  /** One workspace's quarters; every workspace's when left out (the scheduler). */
  workspaceId?: string;
  /** Only these quarters. */
  quarterIds?: string[];
  /** Only steps dated up to this day (`YYYY-MM-DD`). */
  until?: string;
  /** Besides the active quarters of running pilots, the report step of quarters closed in these last days. */
  reportsClosedWithinDays?: number;
}

/**
 * The steps not yet dispatched of the active quarters of running pilots, each with its day: the
 * rollout's own plan, else the default plan (passed in as JSON, so there is one definition of it).
 * Ordered by day and key.
 */
export function plannedSteps(db: DataSource | EntityManager, scope: StepPlanScope): Promise<PlannedStep[]> {
  return db.query(
    `WITH plan AS (
       SELECT s.rollout_id, s.key, s.kind, s.anchor, s.offset_days, s.send_time, s.template, s.audience
       FROM cadence_step s WHERE $1::uuid IS NULL OR s.workspace_id = $1
       UNION ALL
       SELECT r.id, d.key, d.kind, d.anchor, d.offset_days, d.send_time, d.template, d.audience
       FROM rollout r
       CROSS JOIN jsonb_to_recordset($2::jsonb)
         AS d(key text, kind text, anchor text, offset_days int, send_time text, template text, audience text)
       WHERE ($1::uuid IS NULL OR r.workspace_id = $1)
         AND NOT EXISTS (SELECT 1 FROM cadence_step s WHERE s.rollout_id = r.id)
     ),
     steps AS (
       SELECT q.id AS "quarterId", q.workspace_id AS "workspaceId", q.pilot_id AS "pilotId",
              q.organization_id AS "organizationId", o.time_zone AS "organizationTimeZone", p.coach_id AS "coachId",
              plan.key, plan.kind, plan.template, plan.audience, plan.send_time AS "sendTime",
              (CASE plan.anchor WHEN 'start' THEN q.starts_on ELSE q.ends_on END + plan.offset_days) AS step_date,
              q.activated_at, o.time_zone
       FROM quarter q
       JOIN pilot p ON p.id = q.pilot_id
       JOIN organization o ON o.id = q.organization_id
       JOIN plan ON plan.rollout_id = p.rollout_id
       WHERE ($1::uuid IS NULL OR q.workspace_id = $1)
         AND ($3::uuid[] IS NULL OR q.id = ANY($3::uuid[]))
         AND ((q.state = 'active' AND p.state = 'running')
              OR (plan.kind = 'report' AND q.state = 'closed' AND q.closed_at > $4::timestamptz - make_interval(days => $5)))
         AND NOT EXISTS (SELECT 1 FROM cadence_dispatch d WHERE d.quarter_id = q.id AND d.step_key = plan.key)
     )
     SELECT "quarterId", "workspaceId", "pilotId", "organizationId", "organizationTimeZone", "coachId",
            key, kind, template, audience, "sendTime", to_char(step_date, 'YYYY-MM-DD') AS "stepDate",
            (step_date + "sendTime"::time) AT TIME ZONE time_zone AS "sendsAt",
            to_char((activated_at AT TIME ZONE time_zone)::date, 'YYYY-MM-DD') AS "activatedOn",
            to_char(($4::timestamptz AT TIME ZONE time_zone)::date, 'YYYY-MM-DD') AS today
     FROM steps
     WHERE $6::date IS NULL OR step_date <= $6::date
     ORDER BY step_date, key`,
    [
      scope.workspaceId ?? null,
      JSON.stringify(DEFAULT_CADENCE.map(toRecord)),
      scope.quarterIds ?? null,
      scope.now,
      scope.reportsClosedWithinDays ?? null,
      scope.until ?? null,
    ],
  );
}

const toRecord = (step: (typeof DEFAULT_CADENCE)[number]) => ({
  key: step.key,
  kind: step.kind,
  anchor: step.anchor,
  offset_days: step.offsetDays,
  send_time: step.sendTime,
  template: step.template,
  audience: step.audience,
});
