import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CadenceStep, type Rollout } from '@luotsi/database';
import { Tenancy } from '../tenancy/tenancy.service';
import { ORGANIZATION_ROWS, ROLLOUT_ROWS } from '../organizations/relations';
import { PILOT_ROWS, QUARTER_ROWS } from '../pilots/relations';
import { CadenceStepPlan, DEFAULT_CADENCE } from './default-cadence';
import type { PlannedStep, StepDispatch, StepPlanScope } from './step-plan';

/** A step of a quarter claimed for dispatch, the claim being its unique row. */
export interface DispatchClaim {
  workspaceId: string;
  quarterId: string;
  key: string;
  kind: string;
  stepDate: string;
  skippedReason: string | null;
}

/**
 * The cadence's tables (`cadence_step`, `cadence_dispatch`): the only code that reads or writes them. A
 * rollout's own steps go through the actor's scope (`Tenancy.repo`); the step plan and the dispatches are
 * set-based SQL, for one workspace or (the scheduler) every one.
 */
@Injectable()
export class CadenceStore {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly dataSource: DataSource,
  ) {}

  private steps(manager?: EntityManager) {
    return this.tenancy.repo(CadenceStep, 'cadence step', manager);
  }

  /** The rollout's own steps, in their order; none while it follows the default plan. */
  stepsOf(rolloutId: string, manager?: EntityManager): Promise<CadenceStep[]> {
    return this.steps(manager).find({ where: { rolloutId }, order: { position: 'ASC' } });
  }

  /** Removes the rollout's own steps (back to the default plan). */
  async deleteSteps(rollout: Rollout, manager: EntityManager): Promise<void> {
    await manager.delete(CadenceStep, { rolloutId: rollout.id, workspaceId: rollout.workspaceId });
  }

  /** The rollout's steps replaced as a whole by these, in this order. */
  async replaceSteps(rollout: Rollout, steps: CadenceStepPlan[], manager: EntityManager): Promise<void> {
    await this.deleteSteps(rollout, manager);
    const repo = this.steps(manager);
    for (const [position, step] of steps.entries())
      await repo.create({ ...step, rolloutId: rollout.id, position });
  }

  /**
   * The steps not yet dispatched of the active quarters of running pilots, each with its day: the
   * rollout's own plan, else the default plan (passed in as JSON, so there is one definition of it).
   * Ordered by day and key.
   */
  plannedSteps(
    scope: StepPlanScope,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PlannedStep[]> {
    return manager.query(
      `WITH plan AS (
       SELECT s.rollout_id, s.key, s.kind, s.anchor, s.offset_days, s.send_time, s.template, s.audience
       FROM cadence_step s WHERE $1::uuid IS NULL OR s.workspace_id = $1
       UNION ALL
       SELECT r.id, d.key, d.kind, d.anchor, d.offset_days, d.send_time, d.template, d.audience
       FROM ${ROLLOUT_ROWS} r
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
       FROM ${QUARTER_ROWS} q
       JOIN ${PILOT_ROWS} p ON p.id = q.pilot_id
       JOIN ${ORGANIZATION_ROWS} o ON o.id = q.organization_id
       JOIN plan ON plan.rollout_id = p.rollout_id
       WHERE ($1::uuid IS NULL OR q.workspace_id = $1)
         AND ($3::uuid[] IS NULL OR q.id = ANY($3::uuid[]))
         AND ($7::boolean
              OR (((q.state = 'active' AND p.state = 'running')
                   OR (plan.kind = 'report' AND q.state = 'closed' AND q.closed_at > $4::timestamptz - make_interval(days => $5)))
                  AND NOT EXISTS (SELECT 1 FROM cadence_dispatch d WHERE d.quarter_id = q.id AND d.step_key = plan.key)))
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
        scope.wholePlan === true,
      ],
    );
  }

  /** Claims the step of its quarter (one row, unique by quarter and key); its id, or null when claimed already. */
  async claimDispatch(step: DispatchClaim, manager: EntityManager): Promise<string | null> {
    const claimed = await manager.query(
      `INSERT INTO cadence_dispatch (workspace_id, quarter_id, step_key, kind, step_date, skipped_reason)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (quarter_id, step_key) DO NOTHING
       RETURNING id`,
      [step.workspaceId, step.quarterId, step.key, step.kind, step.stepDate, step.skippedReason],
    );
    return claimed.length ? (claimed[0].id as string) : null;
  }

  /** Records how many recipients the dispatched step reached. */
  async setRecipients(dispatchId: string, recipients: number, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE cadence_dispatch SET recipients = $2 WHERE id = $1`, [
      dispatchId,
      recipients,
    ]);
  }

  /** The steps dispatched for a quarter of the workspace, by day and key. */
  dispatchesOf(workspaceId: string, quarterId: string): Promise<StepDispatch[]> {
    return this.dataSource.query(
      `SELECT step_key AS "stepKey", kind, to_char(step_date, 'YYYY-MM-DD') AS "stepDate", dispatched_at AS "dispatchedAt",
              recipients, skipped_reason AS "skippedReason"
       FROM cadence_dispatch WHERE quarter_id = $1 AND workspace_id = $2 ORDER BY step_date, step_key`,
      [quarterId, workspaceId],
    );
  }
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
