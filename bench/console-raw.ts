import type { Client } from 'pg';
import { DEFAULT_CADENCE } from '@luotsi/domain';

/** The default plan as rows, for rollouts that have no cadence of their own. */
export const DEFAULT_PLAN = JSON.stringify(
  DEFAULT_CADENCE.map((s) => ({
    key: s.key,
    kind: s.kind,
    anchor: s.anchor,
    offset_days: s.offsetDays,
    send_time: s.sendTime,
    template: s.template,
    audience: s.audience,
  })),
);

/** The rollouts' plans: their own steps, else the default plan. */
const PLAN = (workspace: string, plan: string) => `
  SELECT s.rollout_id, s.key, s.kind, s.anchor, s.offset_days, s.send_time, s.template, s.audience
  FROM cadence_step s WHERE s.workspace_id = ${workspace}
  UNION ALL
  SELECT r.id, d.key, d.kind, d.anchor, d.offset_days, d.send_time, d.template, d.audience
  FROM rollout r CROSS JOIN jsonb_to_recordset(${plan}::jsonb)
    AS d(key text, kind text, anchor text, offset_days int, send_time text, template text, audience text)
  WHERE r.workspace_id = ${workspace} AND NOT EXISTS (SELECT 1 FROM cadence_step s WHERE s.rollout_id = r.id)`;

/** The row each pilot of the home page shows, as the raw statement returns it. */
export interface RawHomeRow {
  id: string;
  name: string;
  organization: string;
  quarter_label: string | null;
  week: number | null;
  invited: number | null;
  responded: number | null;
  due: number | null;
  done: number | null;
  failed: number;
  next_sends: unknown[] | null;
  reports_due: unknown[] | null;
  ready: { flags: unknown[] } | null;
}

/**
 * The raw limit of the home page: one statement that gathers what the portfolio shows for every pilot of
 * the organizations the coach works in. The pilot with its organization, rollout and coach; its current
 * quarter (active, else latest closed, else first upcoming) and the week in it; the current quarter's
 * retrospective invited/answered; the check-in rhythm (weeks requested by the cadence × owners of key
 * results, and which of those weeks have a check-in); failed mail of the quarter; the next three steps
 * of the plan not dispatched yet; closed quarters without a ready learning report; the latest ready
 * report with its flags. Finished pilots only while something still needs the coach; sorted by need.
 */
export async function rawHome(db: Client, workspaceId: string, coachId: string): Promise<RawHomeRow[]> {
  const { rows } = await db.query<RawHomeRow>(
    `WITH plan AS (${PLAN('$1', '$3')}),
     pilots AS MATERIALIZED (
       SELECT p.id, p.name, p.wave_number, p.state, p.rollout_id, c.id AS coach_id, c.name AS coach_name,
              o.id AS organization_id, o.name AS organization, o.time_zone, r.goal,
              q.id AS quarter_id, q.label AS quarter_label, q.number AS quarter_number, q.state AS quarter_state,
              q.starts_on, q.ends_on,
              LEAST(GREATEST(floor(extract(epoch FROM (now() - q.starts_at)) / 604800)::int + 1, 0),
                    ceil(extract(epoch FROM (q.ends_at - q.starts_at)) / 604800)::int) AS week,
              ceil(extract(epoch FROM (q.ends_at - q.starts_at)) / 604800)::int AS weeks
       FROM pilot p
       JOIN organization o ON o.id = p.organization_id
       JOIN rollout r ON r.id = p.rollout_id
       LEFT JOIN member c ON c.id = p.coach_id
       LEFT JOIN LATERAL (
         SELECT * FROM quarter q WHERE q.pilot_id = p.id
         ORDER BY CASE q.state WHEN 'active' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END,
                  CASE WHEN q.state = 'closed' THEN -q.number ELSE q.number END
         LIMIT 1) q ON true
       WHERE p.workspace_id = $1
         AND p.organization_id IN (SELECT organization_id FROM pilot WHERE workspace_id = $1 AND coach_id = $2)),
     rates AS (
       SELECT rt.quarter_id, count(i.id)::int AS invited, count(i.id) FILTER (WHERE i.used)::int AS responded
       FROM pilots p JOIN retrospective rt ON rt.quarter_id = p.quarter_id
       LEFT JOIN invitation i ON i.retrospective_id = rt.id
       GROUP BY rt.quarter_id),
     owned AS (
       SELECT kr.quarter_id, kr.id, COALESCE(kr.owner_id, o.owner_id) AS participant_id
       FROM pilots p JOIN key_result kr ON kr.quarter_id = p.quarter_id JOIN objective o ON o.id = kr.objective_id
       WHERE COALESCE(kr.owner_id, o.owner_id) IS NOT NULL),
     owners AS (SELECT DISTINCT quarter_id, participant_id FROM owned),
     requested AS (
       SELECT DISTINCT d.quarter_id, (d.step_date - p.starts_on) / 7 + 1 AS week
       FROM pilots p JOIN cadence_dispatch d ON d.quarter_id = p.quarter_id
       WHERE d.kind = 'checkin_request' AND d.skipped_reason IS NULL AND (d.step_date - p.starts_on) / 7 + 1 <= p.week),
     done AS (
       SELECT DISTINCT owned.quarter_id, owned.participant_id, ci.week
       FROM owned JOIN check_in ci ON ci.key_result_id = owned.id),
     rhythms AS (
       SELECT ow.quarter_id, count(r.week)::int AS due, count(dn.week)::int AS done
       FROM owners ow
       LEFT JOIN requested r ON r.quarter_id = ow.quarter_id
       LEFT JOIN done dn ON dn.quarter_id = ow.quarter_id AND dn.participant_id = ow.participant_id AND dn.week = r.week
       GROUP BY ow.quarter_id),
     failed AS (
       SELECT m.quarter_id, count(*)::int AS n
       FROM pilots p JOIN outbox_message m ON m.quarter_id = p.quarter_id
       WHERE m.status = 'failed'
       GROUP BY m.quarter_id),
     upcoming AS (
       SELECT p.quarter_id, plan.key, plan.kind, plan.audience, plan.template, plan.send_time, s.step_date,
              row_number() OVER (PARTITION BY p.quarter_id ORDER BY s.step_date, plan.send_time, plan.key) AS n
       FROM pilots p JOIN plan ON plan.rollout_id = p.rollout_id
       CROSS JOIN LATERAL (SELECT CASE plan.anchor WHEN 'start' THEN p.starts_on ELSE p.ends_on END + plan.offset_days AS step_date) s
       WHERE p.quarter_state = 'active' AND p.state = 'running'
         AND s.step_date >= (now() AT TIME ZONE p.time_zone)::date
         AND NOT EXISTS (SELECT 1 FROM cadence_dispatch d WHERE d.quarter_id = p.quarter_id AND d.step_key = plan.key)),
     next_sends AS (
       SELECT quarter_id,
              jsonb_agg(jsonb_build_object('key', key, 'kind', kind, 'audience', audience, 'template', template,
                                           'date', step_date, 'sendTime', send_time) ORDER BY n) AS sends
       FROM upcoming WHERE n <= 3 GROUP BY quarter_id),
     reports_due AS (
       SELECT q.pilot_id,
              jsonb_agg(jsonb_build_object('quarterId', q.id, 'label', q.label, 'status', COALESCE(lr.status, 'missing'))
                        ORDER BY q.number) AS due
       FROM pilots p JOIN quarter q ON q.pilot_id = p.id
       LEFT JOIN retrospective rt ON rt.quarter_id = q.id
       LEFT JOIN learning_report lr ON lr.quarter_id = q.id
       WHERE (q.state = 'closed' OR rt.state = 'closed') AND lr.status IS DISTINCT FROM 'ready'
       GROUP BY q.pilot_id)
     SELECT p.id, p.name, p.wave_number, p.state, p.coach_id, p.coach_name, p.organization_id, p.organization,
            p.rollout_id, p.goal, p.quarter_id, p.quarter_label, p.quarter_number, p.quarter_state, p.starts_on,
            p.ends_on, p.week, p.weeks, rates.invited, rates.responded, rhythms.due, rhythms.done,
            COALESCE(failed.n, 0) AS failed, next_sends.sends AS next_sends, reports_due.due AS reports_due, ready
     FROM pilots p
     LEFT JOIN rates ON rates.quarter_id = p.quarter_id
     LEFT JOIN rhythms ON rhythms.quarter_id = p.quarter_id
     LEFT JOIN failed ON failed.quarter_id = p.quarter_id
     LEFT JOIN next_sends ON next_sends.quarter_id = p.quarter_id
     LEFT JOIN reports_due ON reports_due.pilot_id = p.id
     LEFT JOIN LATERAL (
       SELECT jsonb_build_object('id', lr.id, 'quarterId', q.id, 'label', q.label, 'builtAt', lr.built_at,
                                 'flags', COALESCE(lr.content -> 'flags', '[]')) AS ready
       FROM learning_report lr JOIN quarter q ON q.id = lr.quarter_id
       WHERE lr.pilot_id = p.id AND lr.status = 'ready'
       ORDER BY q.number DESC LIMIT 1) ready ON true
     WHERE p.state NOT IN ('graduated', 'stopped') OR failed.n > 0 OR reports_due.due IS NOT NULL
     ORDER BY COALESCE(failed.n, 0) DESC, jsonb_array_length(COALESCE(ready -> 'flags', '[]')) DESC,
              jsonb_array_length(COALESCE(reports_due.due, '[]')) DESC, p.organization, p.name`,
    [workspaceId, coachId, DEFAULT_PLAN],
  );
  return rows;
}

export interface RawPilot {
  pilot: { id: string; name: string; organization: string };
  quarters: unknown[];
  timeline: { key: string; sent: number; scheduled: number; failed: number; skipped: boolean }[];
  runs: { invited: number; responded: number }[];
  objectives: { keyResults: unknown[] }[];
  grid: unknown[];
  failures: unknown[];
}

/**
 * The raw limit of a pilot's page: one statement that returns, as JSON, the pilot with its organization,
 * rollout and coach; its quarters; the current quarter's cadence timeline (each planned step with its
 * day, its dispatch, and its mail counted by status: sent, scheduled, failed, suppressed; skipped steps
 * with their reason); every retrospective run with invited and answered counts; the current quarter's
 * objectives with their key results and owners; the check-in grid (key result × week with confidence);
 * the quarter's failed mail with its recipient and error (the latest 500, as the delivery report lists
 * them) and when the next waiting mail is due; and how many participants the pilot has.
 */
export async function rawPilot(db: Client, workspaceId: string, pilotId: string): Promise<RawPilot> {
  const { rows } = await db.query<{ page: RawPilot }>(
    `WITH p AS (
       SELECT p.id, p.name, p.wave_number, p.state, p.levels, p.rollout_id, p.start_quarter, p.quarter_count,
              p.charter_scope, p.charter_success_criteria, p.charter_decision_date,
              o.id AS organization_id, o.name AS organization, o.time_zone, r.goal, c.id AS coach_id, c.name AS coach
       FROM pilot p JOIN organization o ON o.id = p.organization_id JOIN rollout r ON r.id = p.rollout_id
       LEFT JOIN member c ON c.id = p.coach_id
       WHERE p.id = $2 AND p.workspace_id = $1),
     quarters AS (SELECT q.* FROM quarter q WHERE q.pilot_id = $2 AND q.workspace_id = $1),
     cur AS (
       SELECT * FROM quarters
       ORDER BY CASE state WHEN 'active' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END,
                CASE WHEN state = 'closed' THEN -number ELSE number END
       LIMIT 1),
     plan AS (${PLAN('$1', '$3')}),
     mail AS (
       SELECT m.step_key, count(*) FILTER (WHERE m.status = 'sent')::int AS sent,
              count(*) FILTER (WHERE m.status IN ('pending', 'queued', 'deferred'))::int AS scheduled,
              count(*) FILTER (WHERE m.status = 'failed')::int AS failed,
              count(*) FILTER (WHERE m.status = 'suppressed')::int AS suppressed
       FROM cur JOIN outbox_message m ON m.quarter_id = cur.id
       GROUP BY m.step_key),
     timeline AS (
       SELECT plan.key, plan.kind, plan.audience, plan.template, plan.send_time,
              CASE plan.anchor WHEN 'start' THEN cur.starts_on ELSE cur.ends_on END + plan.offset_days AS step_date,
              d.dispatched_at, d.recipients, d.skipped_reason, d.skipped_reason IS NOT NULL AS skipped,
              COALESCE(mail.sent, 0) AS sent, COALESCE(mail.scheduled, 0) AS scheduled,
              COALESCE(mail.failed, 0) AS failed, COALESCE(mail.suppressed, 0) AS suppressed
       FROM cur JOIN p ON true JOIN plan ON plan.rollout_id = p.rollout_id
       LEFT JOIN cadence_dispatch d ON d.quarter_id = cur.id AND d.step_key = plan.key
       LEFT JOIN mail ON mail.step_key = plan.key),
     runs AS (
       SELECT rt.id, q.label, q.number, rt.state, rt.anonymity, rt.min_group_size, rt.opened_at, rt.closes_at, rt.closed_at,
              count(i.id)::int AS invited, count(i.id) FILTER (WHERE i.used)::int AS responded
       FROM quarters q JOIN retrospective rt ON rt.quarter_id = q.id
       LEFT JOIN invitation i ON i.retrospective_id = rt.id
       GROUP BY rt.id, q.label, q.number),
     krs AS (
       SELECT kr.*, pt.name AS owner FROM cur JOIN key_result kr ON kr.quarter_id = cur.id
       LEFT JOIN participant pt ON pt.id = kr.owner_id),
     objectives AS (
       SELECT o.id, o.title, o.position, o.final_score, pt.name AS owner,
              (SELECT jsonb_agg(jsonb_build_object('id', k.id, 'title', k.title, 'kind', k.kind, 'measure', k.measure,
                                                   'start', k.start_value, 'target', k.target_value, 'unit', k.unit,
                                                   'current', k.current_value, 'confidence', k.confidence,
                                                   'owner', k.owner, 'finalScore', k.final_score) ORDER BY k.position)
               FROM krs k WHERE k.objective_id = o.id) AS key_results
       FROM cur JOIN objective o ON o.quarter_id = cur.id LEFT JOIN participant pt ON pt.id = o.owner_id),
     grid AS (
       SELECT ci.key_result_id, jsonb_agg(jsonb_build_object('week', ci.week, 'confidence', ci.confidence,
                                                             'value', ci.current_value) ORDER BY ci.week) AS weeks
       FROM cur JOIN check_in ci ON ci.quarter_id = cur.id
       GROUP BY ci.key_result_id),
     failures AS (
       SELECT m.id, m.step_key, m.template, m.attempts, m.last_error, m.updated_at, pt.name, pt.email
       FROM cur JOIN outbox_message m ON m.quarter_id = cur.id LEFT JOIN participant pt ON pt.id = m.participant_id
       WHERE m.status = 'failed'
       ORDER BY m.updated_at DESC LIMIT 500)
     SELECT jsonb_build_object(
       'pilot', (SELECT to_jsonb(p) FROM p),
       'participants', (SELECT count(*) FROM pilot_membership WHERE pilot_id = $2),
       'quarters', (SELECT jsonb_agg(jsonb_build_object('id', id, 'label', label, 'number', number, 'state', state,
                                                        'startsOn', starts_on, 'endsOn', ends_on) ORDER BY number) FROM quarters),
       'current', (SELECT jsonb_build_object('id', id, 'label', label, 'state', state) FROM cur),
       'timeline', (SELECT jsonb_agg(to_jsonb(t) ORDER BY t.step_date, t.send_time, t.key) FROM timeline t),
       'runs', (SELECT jsonb_agg(to_jsonb(r) ORDER BY r.number) FROM runs r),
       'objectives', (SELECT jsonb_agg(jsonb_build_object('id', id, 'title', title, 'owner', owner, 'finalScore', final_score,
                                                          'keyResults', key_results) ORDER BY position) FROM objectives),
       'grid', (SELECT jsonb_agg(jsonb_build_object('keyResultId', key_result_id, 'weeks', weeks)) FROM grid),
       'failures', (SELECT jsonb_agg(to_jsonb(f) ORDER BY f.updated_at DESC) FROM failures f),
       'nextDueAt', (SELECT min(m.due_at) FROM cur JOIN outbox_message m ON m.quarter_id = cur.id
                     WHERE m.status IN ('pending', 'queued', 'deferred'))) AS page`,
    [workspaceId, pilotId, DEFAULT_PLAN],
  );
  return rows[0].page;
}
