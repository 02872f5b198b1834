import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { CadenceStep, type Locale, type Pilot, type Rollout } from '@luotsi/database';
import { Tenancy } from '../tenancy/tenancy.service';
import { ORGANIZATION_ROWS } from '../organizations/relations';
import { PARTICIPANT_ROWS, PILOT_MEMBERSHIP_ROWS } from '../participants/relations';
import { PILOT_ROWS, QUARTER_ROWS } from '../pilots/relations';
import { MESSAGE_TEMPLATE_ROWS } from '../templates/relations';
import { MEMBER_ROWS } from '../workspaces/relations';
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

/** What a step's preview for one participant reads: the person, the quarter's facts, the texts that apply. */
export interface PreviewFacts {
  name: string;
  locale: Locale;
  organizationName: string;
  pilotName: string;
  waveNumber: number;
  label: string;
  number: number;
  startsOn: string;
  endsOn: string;
  coachName: string | null;
  /** The most specific template override for the person's language (rollout, organization, workspace). */
  overrideSubject: string | null;
  overrideBody: string | null;
  overrideScope: 'rollout' | 'organization' | 'workspace' | null;
}

/**
 * The cadence's tables (`cadence_step`, `cadence_dispatch`): the only code that reads or writes them. A
 * rollout's and a pilot's own steps go through the actor's scope (`Tenancy.repo`); the step plan and the
 * dispatches are set-based SQL, for one workspace or (the scheduler) every one.
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
    return this.steps(manager).find({ where: { rolloutId, pilotId: IsNull() }, order: { position: 'ASC' } });
  }

  /** The pilot's own steps, in their order; none while it follows its rollout's plan. */
  pilotStepsOf(pilotId: string, manager?: EntityManager): Promise<CadenceStep[]> {
    return this.steps(manager).find({ where: { pilotId }, order: { position: 'ASC' } });
  }

  /** Removes the rollout's own steps (back to the default plan); its pilots' own plans stay. */
  async deleteSteps(rollout: Rollout, manager: EntityManager): Promise<void> {
    await manager.delete(CadenceStep, {
      rolloutId: rollout.id,
      workspaceId: rollout.workspaceId,
      pilotId: IsNull(),
    });
  }

  /** Removes the pilot's own steps (back to its rollout's plan). */
  async deletePilotSteps(pilot: Pilot, manager: EntityManager): Promise<void> {
    await manager.delete(CadenceStep, { pilotId: pilot.id, workspaceId: pilot.workspaceId });
  }

  /** The rollout's steps (or, given a pilot of it, that pilot's) replaced as a whole by these, in this order. */
  async replaceSteps(
    rollout: Rollout,
    steps: CadenceStepPlan[],
    manager: EntityManager,
    pilot?: Pilot,
  ): Promise<void> {
    if (pilot) await this.deletePilotSteps(pilot, manager);
    else await this.deleteSteps(rollout, manager);
    const repo = this.steps(manager);
    for (const [position, step] of steps.entries())
      await repo.create({ ...toRow(step), rolloutId: rollout.id, pilotId: pilot?.id ?? null, position });
  }

  /**
   * The source pilot's own steps copied as the target pilot's own (replacing any), in the actor's
   * workspace; returns how many. Nothing is copied, and the target is left alone, when the source has none.
   */
  async copyPilotSteps(fromPilotId: string, toPilotId: string, manager: EntityManager): Promise<number> {
    const workspaceId = this.tenancy.actor.workspaceId;
    const [{ n }] = await manager.query(
      `SELECT count(*)::int AS n FROM cadence_step WHERE pilot_id = $1 AND workspace_id = $2`,
      [fromPilotId, workspaceId],
    );
    if (!n) return 0;
    await manager.query(`DELETE FROM cadence_step WHERE pilot_id = $1 AND workspace_id = $2`, [
      toPilotId,
      workspaceId,
    ]);
    const copied = await manager.query(
      `INSERT INTO cadence_step (workspace_id, rollout_id, pilot_id, key, position, kind, anchor, offset_days, send_time,
                                 template, audience, audience_level, texts, question_set_ref, anonymity, min_group_size)
       SELECT s.workspace_id, t.rollout_id, t.id, s.key, s.position, s.kind, s.anchor, s.offset_days, s.send_time,
              s.template, s.audience, s.audience_level, s.texts, s.question_set_ref, s.anonymity, s.min_group_size
       FROM cadence_step s JOIN ${PILOT_ROWS} t ON t.id = $2 AND t.workspace_id = s.workspace_id
       WHERE s.pilot_id = $1 AND s.workspace_id = $3
       RETURNING id`,
      [fromPilotId, toPilotId, workspaceId],
    );
    return copied.length;
  }

  /**
   * What a step's mail for a participant of the pilot shows, in the actor's workspace: the person, the
   * quarter's facts and the most specific template override in the person's language; null when the
   * person is not in the pilot or the quarter not the pilot's.
   */
  async previewFacts(
    pilotId: string,
    quarterId: string,
    participantId: string,
    template: string,
  ): Promise<PreviewFacts | null> {
    const [row] = await this.dataSource.query(
      `SELECT pa.name, pa.locale, org.name AS "organizationName", p.name AS "pilotName", p.wave_number AS "waveNumber",
              q.label, q.number, to_char(q.starts_on, 'YYYY-MM-DD') AS "startsOn",
              to_char(q.ends_on, 'YYYY-MM-DD') AS "endsOn", c.name AS "coachName",
              t.subject AS "overrideSubject", t.body AS "overrideBody", t.scope AS "overrideScope"
       FROM ${PILOT_ROWS} p
       JOIN ${QUARTER_ROWS} q ON q.pilot_id = p.id AND q.id = $2
       JOIN ${PILOT_MEMBERSHIP_ROWS} m ON m.pilot_id = p.id AND m.participant_id = $3
       JOIN ${PARTICIPANT_ROWS} pa ON pa.id = m.participant_id
       JOIN ${ORGANIZATION_ROWS} org ON org.id = p.organization_id
       LEFT JOIN ${MEMBER_ROWS} c ON c.id = p.coach_id
       LEFT JOIN LATERAL (
         SELECT mt.subject, mt.body,
                CASE WHEN mt.rollout_id IS NOT NULL THEN 'rollout'
                     WHEN mt.organization_id IS NOT NULL THEN 'organization' ELSE 'workspace' END AS scope
         FROM ${MESSAGE_TEMPLATE_ROWS} mt
         WHERE mt.workspace_id = p.workspace_id AND mt.name = $4 AND mt.locale = pa.locale
           AND (mt.rollout_id IS NULL OR mt.rollout_id = p.rollout_id)
           AND (mt.organization_id IS NULL OR mt.organization_id = p.organization_id)
         ORDER BY mt.rollout_id IS NULL, mt.organization_id IS NULL LIMIT 1
       ) t ON true
       WHERE p.id = $1 AND p.workspace_id = $5`,
      [pilotId, quarterId, participantId, template, this.tenancy.actor.workspaceId],
    );
    return (row as PreviewFacts | undefined) ?? null;
  }

  /** The pilot's current quarter (its active one, else the next upcoming, else the last); null when it has none. */
  async previewQuarter(pilotId: string): Promise<string | null> {
    const [row] = await this.dataSource.query(
      `SELECT q.id FROM ${QUARTER_ROWS} q WHERE q.pilot_id = $1 AND q.workspace_id = $2
       ORDER BY CASE q.state WHEN 'active' THEN 0 WHEN 'upcoming' THEN 1 ELSE 2 END,
                CASE WHEN q.state = 'closed' THEN -q.number ELSE q.number END
       LIMIT 1`,
      [pilotId, this.tenancy.actor.workspaceId],
    );
    return (row?.id as string | undefined) ?? null;
  }

  /**
   * The steps not yet dispatched of the active quarters of running pilots, each with its day: the
   * most specific plan of each pilot — its own, else its rollout's, else the default plan (passed in as
   * JSON, so there is one definition of it). Ordered by day and key.
   */
  plannedSteps(
    scope: StepPlanScope,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PlannedStep[]> {
    return manager.query(
      `WITH plan AS (
       SELECT s.pilot_id, ${STEP_COLUMNS('s')}
       FROM cadence_step s WHERE s.pilot_id IS NOT NULL AND ($1::uuid IS NULL OR s.workspace_id = $1)
       UNION ALL
       SELECT p.id, ${STEP_COLUMNS('s')}
       FROM ${PILOT_ROWS} p JOIN cadence_step s ON s.rollout_id = p.rollout_id AND s.pilot_id IS NULL
       WHERE ($1::uuid IS NULL OR p.workspace_id = $1)
         AND NOT EXISTS (SELECT 1 FROM cadence_step own WHERE own.pilot_id = p.id)
       UNION ALL
       SELECT p.id, ${STEP_COLUMNS('d')}
       FROM ${PILOT_ROWS} p
       CROSS JOIN jsonb_to_recordset($2::jsonb)
         AS d(key text, kind text, anchor text, offset_days int, send_time text, template text, audience text,
              audience_level text, question_set_ref text, anonymity text, min_group_size int)
       WHERE ($1::uuid IS NULL OR p.workspace_id = $1)
         AND NOT EXISTS (SELECT 1 FROM cadence_step s
                         WHERE s.pilot_id = p.id OR (s.rollout_id = p.rollout_id AND s.pilot_id IS NULL))
     ),
     steps AS (
       SELECT q.id AS "quarterId", q.workspace_id AS "workspaceId", q.pilot_id AS "pilotId",
              q.organization_id AS "organizationId", o.time_zone AS "organizationTimeZone", p.coach_id AS "coachId",
              plan.key, plan.kind, plan.template, plan.audience, plan.audience_level AS "audienceLevel",
              plan.question_set_ref AS "questionSetRef", plan.anonymity, plan.min_group_size AS "minGroupSize",
              plan.send_time AS "sendTime",
              (CASE plan.anchor WHEN 'start' THEN q.starts_on ELSE q.ends_on END + plan.offset_days) AS step_date,
              q.activated_at, o.time_zone
       FROM ${QUARTER_ROWS} q
       JOIN ${PILOT_ROWS} p ON p.id = q.pilot_id
       JOIN ${ORGANIZATION_ROWS} o ON o.id = q.organization_id
       JOIN plan ON plan.pilot_id = p.id
       WHERE ($1::uuid IS NULL OR q.workspace_id = $1)
         AND ($3::uuid[] IS NULL OR q.id = ANY($3::uuid[]))
         AND ($7::boolean
              OR (((q.state = 'active' AND p.state = 'running')
                   OR (plan.kind = 'report' AND q.state = 'closed' AND q.closed_at > $4::timestamptz - make_interval(days => $5)))
                  AND NOT EXISTS (SELECT 1 FROM cadence_dispatch d WHERE d.quarter_id = q.id AND d.step_key = plan.key)))
     )
     SELECT "quarterId", "workspaceId", "pilotId", "organizationId", "organizationTimeZone", "coachId",
            key, kind, template, audience, "audienceLevel", "questionSetRef", anonymity, "minGroupSize",
            "sendTime", to_char(step_date, 'YYYY-MM-DD') AS "stepDate",
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

/** The plan's columns of a step row (`cadence_step`, or the default plan's JSON record). */
const STEP_COLUMNS = (alias: string) =>
  ['key', 'kind', 'anchor', 'offset_days', 'send_time', 'template', 'audience', 'audience_level']
    .concat(['question_set_ref', 'anonymity', 'min_group_size'])
    .map((column) => `${alias}.${column}`)
    .join(', ');

const toRecord = (step: (typeof DEFAULT_CADENCE)[number]) => ({
  key: step.key,
  kind: step.kind,
  anchor: step.anchor,
  offset_days: step.offsetDays,
  send_time: step.sendTime,
  template: step.template,
  audience: step.audience,
  audience_level: null,
  question_set_ref: null,
  anonymity: null,
  min_group_size: null,
});

/** A step of a plan as its row stores it. */
const toRow = ({ retrospective, ...step }: CadenceStepPlan) => ({
  key: step.key,
  kind: step.kind,
  anchor: step.anchor,
  offsetDays: step.offsetDays,
  sendTime: step.sendTime,
  template: step.template,
  audience: step.audience,
  audienceLevel: step.audience === 'level' ? (step.audienceLevel ?? null) : null,
  texts: step.texts && Object.keys(step.texts).length ? step.texts : null,
  questionSetRef: retrospective?.questionSetId ?? null,
  anonymity: retrospective?.anonymity ?? null,
  minGroupSize: retrospective?.minGroupSize ?? null,
});
