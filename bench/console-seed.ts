import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { DEFAULT_CADENCE, LearningReportService } from '@luotsi/domain';
import { DEFAULT_PLAN } from './console-raw';
import { quarterLabel, seedPeople } from './people';
import { REPORT_QUESTIONS, seedRetrospectives } from './report-seed';
import { call, createQuestionSet, mintToken, movePilot, signUpConfirmed, type QuarterRef } from './skeleton';

export const ORGANIZATIONS = 20;
export const PILOTS_PER_ORGANIZATION = 3;
export const PARTICIPANTS_PER_PILOT = 500;
const OBJECTIVES_PER_QUARTER = 5;
const KEY_RESULTS_PER_OBJECTIVE = 3;
const PASSWORD = 'correct horse battery staple';

export interface ConsolePilot {
  id: string;
  organizationId: string;
  rolloutId: string;
  /** 0: running in its fourth quarter; 1 and 2: four quarters lived through, in review or graduated. */
  slot: number;
  quarters: QuarterRef[];
}

export interface ConsoleSeed {
  workspaceId: string;
  coach: { id: string; email: string; password: string };
  pilots: ConsolePilot[];
  /** Seconds per stage, for the results file. */
  seconds: Record<string, number>;
  rows: Record<string, number>;
}

/** `2026-Q4` moved by `by` quarters. */
export function shiftQuarter(label: string, by: number): string {
  const [year, q] = label.split('-Q').map(Number);
  const index = year * 4 + (q - 1) + by;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

/**
 * A consultancy's workspace as a coach has it after a year: 20 client organizations, each with a rollout
 * of three pilots of 500 participants. One pilot of each runs in its fourth quarter (the current calendar
 * quarter); the other two started a quarter earlier and have lived through all four (in review, or some
 * graduated). The skeleton and the lifecycle go through the API; people, retrospectives, OKRs and weekly
 * check-ins, the cadence's dispatches and their outbox rows set-based in SQL; the learning reports are
 * built by the real service, as the worker builds them.
 */
export async function seedConsole(
  base: string,
  db: Client,
  reports: LearningReportService,
  log: (line: string) => void,
): Promise<ConsoleSeed> {
  const seconds: Record<string, number> = {};
  let began = Date.now();
  const lap = (stage: string) => {
    seconds[stage] = Math.round((Date.now() - began) / 100) / 10;
    log(`console seed: ${stage} ${seconds[stage]} s`);
    began = Date.now();
  };

  const tag = randomBytes(3).toString('hex');
  const signUp = await signUpConfirmed(base, db, {
    workspaceName: `Konsultointi ${tag}`,
    email: `owner-${tag}@example.fi`,
    name: 'Omistaja',
    password: PASSWORD,
  });
  const token = signUp.accessToken;
  const coachEmail = `coach-${tag}@example.fi`;
  const invited = await call<{ member: { id: string } }>(base, 'POST', '/api/v1/members', token, {
    email: coachEmail,
    name: 'Aino Valmentaja',
    role: 'coach',
  });
  await call(base, 'POST', '/api/v1/auth/invitations/accept', undefined, {
    token: await mintToken(db, coachEmail, 'invitation'),
    password: PASSWORD,
  });
  const coachId = invited.member.id;
  const questionSet = await createQuestionSet(base, token, 'Neljännesretro', REPORT_QUESTIONS);

  const current = quarterLabel(new Date());
  const organizations = Array.from({ length: ORGANIZATIONS }, (_, i) => i);
  const pilots: ConsolePilot[] = [];
  // A few organizations at a time: the API's writes are short transactions; the machine has two cores.
  for (let from = 0; from < organizations.length; from += 4) {
    const batch = await Promise.all(
      organizations.slice(from, from + 4).map((i) => setUpOrganization(base, token, coachId, current, i)),
    );
    pilots.push(...batch.flat());
  }
  lap('skeleton through the API');

  const workspaceId = signUp.workspace.id;
  for (const pilot of pilots)
    await seedPeople(
      db,
      { workspaceId, organizationId: pilot.organizationId, pilotId: pilot.id },
      PARTICIPANTS_PER_PILOT,
    );
  // The API stamps each move with the moment it was made; a year lived through has them at the quarters' edges.
  await db.query(
    `UPDATE quarter SET activated_at = CASE WHEN state <> 'upcoming' THEN starts_at END,
                        closed_at = CASE WHEN state = 'closed' THEN ends_at END
     WHERE workspace_id = $1`,
    [workspaceId],
  );
  lap('people');

  for (const pilot of pilots) {
    const closed = pilot.quarters.filter((q) => q.state === 'closed').map((q) => q.id);
    await seedRetrospectives(db, pilot.id, questionSet, closed);
  }
  // Every other running pilot has opened its fourth quarter's retrospective early; answers coming in.
  await db.query(
    `WITH run AS (
       INSERT INTO retrospective (workspace_id, quarter_id, pilot_id, organization_id, question_set_ref, questions,
                                  anonymity, min_group_size, state, opened_at, closes_at)
       SELECT q.workspace_id, q.id, q.pilot_id, q.organization_id, $2, $3::jsonb, 'anonymous', 5, 'open',
              now() - interval '3 days', q.ends_at
       FROM quarter q WHERE q.id = ANY($1::uuid[])
       RETURNING id, workspace_id, pilot_id, closes_at),
     m AS MATERIALIZED (
       SELECT run.id AS run_id, run.workspace_id, run.closes_at, pm.participant_id, p.level, p.locale,
              random() < 0.2 + (abs(hashtext(run.pilot_id::text)) % 40) / 100.0 AS answered
       FROM run JOIN pilot_membership pm ON pm.pilot_id = run.pilot_id JOIN participant p ON p.id = pm.participant_id),
     invited AS (
       INSERT INTO invitation (workspace_id, retrospective_id, participant_id, expires_at, used, level, locale)
       SELECT workspace_id, run_id, participant_id, closes_at, answered, level, locale FROM m)
     INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
     SELECT workspace_id, run_id, NULL, level, locale,
            jsonb_build_object('okrs_guided_priorities', 1 + floor(random() * 5)::int, 'recommend_okrs', floor(random() * 11)::int),
            current_date - floor(random() * 3)::int
     FROM m WHERE answered`,
    [
      pilots
        .filter((p, n) => p.slot === 0 && n % 2 === 0)
        .map((p) => p.quarters.find((q) => q.state === 'active')!.id),
      questionSet.id,
      JSON.stringify(questionSet.questions),
    ],
  );
  lap('retrospectives');

  await seedOkrs(db, workspaceId);
  lap('OKRs and check-ins');

  await seedDispatches(
    db,
    workspaceId,
    pilots.map((p) => (p.quarters.find((q) => q.state === 'active') ?? p.quarters[p.quarters.length - 1]).id),
  );
  lap('cadence dispatches and outbox');

  await seedReports(db, reports, workspaceId, pilots);
  lap('learning reports');

  await db.query(`VACUUM ANALYZE`);
  lap('vacuum analyze');

  const { rows } = await db.query<{ name: string; n: number }>(
    `SELECT 'participants' AS name, count(*)::int AS n FROM participant WHERE workspace_id = $1
     UNION ALL SELECT 'invitations', count(*)::int FROM invitation WHERE workspace_id = $1
     UNION ALL SELECT 'responses', count(*)::int FROM retrospective_response WHERE workspace_id = $1
     UNION ALL SELECT 'keyResults', count(*)::int FROM key_result WHERE workspace_id = $1
     UNION ALL SELECT 'checkIns', count(*)::int FROM check_in WHERE workspace_id = $1
     UNION ALL SELECT 'dispatches', count(*)::int FROM cadence_dispatch WHERE workspace_id = $1
     UNION ALL SELECT 'outbox', count(*)::int FROM outbox_message WHERE workspace_id = $1
     UNION ALL SELECT 'outboxFailed', count(*)::int FROM outbox_message WHERE workspace_id = $1 AND status = 'failed'
     UNION ALL SELECT 'reportsReady', count(*)::int FROM learning_report WHERE workspace_id = $1 AND status = 'ready'`,
    [workspaceId],
  );
  return {
    workspaceId,
    coach: { id: coachId, email: coachEmail, password: PASSWORD },
    pilots,
    seconds,
    rows: Object.fromEntries(rows.map((row) => [row.name, row.n])),
  };
}

/**
 * An organization with its rollout and three pilots, moved through their lifecycles. The coach coaches
 * two of them; the owner the third (the coach still sees the whole organization).
 */
async function setUpOrganization(
  base: string,
  token: string,
  coachId: string,
  current: string,
  i: number,
): Promise<ConsolePilot[]> {
  const number = String(i + 1).padStart(2, '0');
  const organization = await call<{ id: string }>(base, 'POST', '/api/v1/organizations', token, {
    name: `Asiakas ${number}`,
    sector: i % 3 === 0 ? 'company' : 'public',
    headcount: 5_000,
    timeZone: 'Europe/Helsinki',
  });
  const rollout = await call<{ id: string }>(base, 'POST', '/api/v1/rollouts', token, {
    organizationId: organization.id,
    goal: 'Every unit plans its quarter with OKRs',
    targetHeadcount: 5_000,
    plannedWaves: 3,
  });
  const pilots: ConsolePilot[] = [];
  for (let slot = 0; slot < PILOTS_PER_ORGANIZATION; slot++) {
    // The running pilot's fourth quarter is now; the others started a quarter earlier and are through.
    const start = shiftQuarter(current, slot === 0 ? -3 : -4);
    const pilot = await call<{ id: string }>(base, 'POST', `/api/v1/rollouts/${rollout.id}/pilots`, token, {
      name: `Pilotti ${number}-${slot + 1}`,
      waveNumber: slot + 1,
      levels: ['management', 'staff'],
      startQuarter: start,
      quarterCount: 4,
      ...(slot < 2 ? { coachId } : {}),
    });
    const actions =
      slot === 0
        ? ['start', 'advance', 'advance', 'advance']
        : [
            'start',
            'advance',
            'advance',
            'advance',
            'review',
            ...(slot === 2 && i % 4 !== 0 ? ['graduate'] : []),
          ];
    const quarters = await movePilot(base, token, pilot.id, actions);
    pilots.push({ id: pilot.id, organizationId: organization.id, rolloutId: rollout.id, slot, quarters });
  }
  return pilots;
}

/**
 * Five objectives of three key results in every quarter lived through, owned by the pilot's managers
 * (objectives) and staff (key results), and the owners' weekly check-ins up to the current week: each
 * pilot keeps its own rhythm, from 45% to 95% of the weeks.
 */
async function seedOkrs(db: Client, workspaceId: string): Promise<void> {
  await db.query(
    `WITH ranked AS MATERIALIZED (
       SELECT m.pilot_id, m.participant_id, p.level,
              row_number() OVER (PARTITION BY m.pilot_id, p.level ORDER BY m.participant_id) AS rn
       FROM pilot_membership m JOIN participant p ON p.id = m.participant_id
       WHERE m.workspace_id = $1),
     objectives AS (
       INSERT INTO objective (workspace_id, quarter_id, pilot_id, organization_id, title, description, owner_id, level,
                              position, final_score)
       SELECT q.workspace_id, q.id, q.pilot_id, q.organization_id,
              (ARRAY['Asiakkaat saavat vastauksen nopeammin', 'Tiimit suunnittelevat yhdessä',
                     'Päätökset perustuvat tietoon', 'Työn esteet poistuvat', 'Osaaminen jaetaan'])[n],
              '', r.participant_id, 'management', n,
              CASE WHEN q.state = 'closed' THEN round((0.3 + random() * 0.6)::numeric, 2)::float8 END
       FROM quarter q CROSS JOIN generate_series(1, ${OBJECTIVES_PER_QUARTER}) n
       JOIN ranked r ON r.pilot_id = q.pilot_id AND r.level = 'management' AND r.rn = n
       WHERE q.workspace_id = $1 AND q.state <> 'upcoming'
       RETURNING id, workspace_id, quarter_id, pilot_id, organization_id, position, final_score)
     INSERT INTO key_result (workspace_id, objective_id, quarter_id, pilot_id, organization_id, title, kind, measure,
                             start_value, target_value, unit, owner_id, position, final_score)
     SELECT o.workspace_id, o.id, o.quarter_id, o.pilot_id, o.organization_id,
            'Mittari ' || o.position || '.' || k, CASE WHEN k = 3 THEN 'aspirational' ELSE 'committed' END, 'metric',
            0, 100, '%', r.participant_id, k,
            CASE WHEN o.final_score IS NOT NULL THEN round((0.2 + random() * 0.8)::numeric, 2)::float8 END
     FROM objectives o CROSS JOIN generate_series(1, ${KEY_RESULTS_PER_OBJECTIVE}) k
     JOIN ranked r ON r.pilot_id = o.pilot_id AND r.level = 'staff' AND r.rn = o.position * 10 + k`,
    [workspaceId],
  );
  await db.query(
    `WITH weeks AS (
       SELECT q.id AS quarter_id, q.starts_on,
              CASE WHEN q.state = 'closed' THEN ceil(extract(epoch FROM (q.ends_at - q.starts_at)) / 604800)::int
                   ELSE floor(extract(epoch FROM (now() - q.starts_at)) / 604800)::int + 1 END AS weeks,
              0.45 + (abs(hashtext(q.pilot_id::text)) % 51) / 100.0 AS rhythm
       FROM quarter q WHERE q.workspace_id = $1 AND q.state <> 'upcoming')
     INSERT INTO check_in (workspace_id, organization_id, quarter_id, key_result_id, participant_id, week, current_value,
                           confidence, note, recorded_on)
     SELECT kr.workspace_id, kr.organization_id, kr.quarter_id, kr.id, kr.owner_id, w,
            least(100, round(w * (4 + random() * 6))), least(10, greatest(0, round(5 + random() * 4 - w * 0.1)))::int,
            CASE WHEN random() < 0.3 THEN 'Edistyy suunnitellusti.' ELSE '' END,
            weeks.starts_on + (w - 1) * 7 + floor(random() * 5)::int
     FROM key_result kr JOIN weeks ON weeks.quarter_id = kr.quarter_id
     CROSS JOIN LATERAL generate_series(1, weeks.weeks) w
     -- A hash of the key result and the week, not random(): a filter on one table's columns alone would
     -- be applied to that table's rows, all of a quarter's weeks kept or dropped together.
     WHERE kr.workspace_id = $1 AND abs(hashtext(kr.id::text || w)) % 100 < weeks.rhythm * 100`,
    [workspaceId],
  );
  // Each key result shows its latest check-in, as recording one leaves it.
  await db.query(
    `UPDATE key_result kr SET current_value = last.current_value, confidence = last.confidence,
                              recorded_at = last.recorded_on::timestamptz
     FROM (SELECT DISTINCT ON (key_result_id) key_result_id, current_value, confidence, recorded_on
           FROM check_in WHERE workspace_id = $1 ORDER BY key_result_id, week DESC) last
     WHERE kr.id = last.key_result_id`,
    [workspaceId],
  );
}

/**
 * The default cadence of every quarter lived through, dispatched up to now (a check-in request now and
 * then skipped, as when a quarter starts late), and the mail of each pilot's current quarter (the one
 * the pages read): one outbox row per recipient, sent, a few failed for good in a quarter of the pilots,
 * the last hour's still pending. The reminders went only to those who had not answered yet (a third,
 * here). Earlier quarters' mail (1.3 million more rows) is left out: no page reads it, and writing it
 * would take minutes.
 */
async function seedDispatches(db: Client, workspaceId: string, currentQuarters: string[]): Promise<void> {
  const plan = DEFAULT_PLAN;
  await db.query(
    `WITH plan AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb)
         AS d(key text, kind text, anchor text, offset_days int, send_time text, template text, audience text)),
     steps AS (
       SELECT q.workspace_id, q.id AS quarter_id, q.pilot_id, plan.key, plan.kind, plan.audience, o.time_zone,
              plan.send_time, CASE plan.anchor WHEN 'start' THEN q.starts_on ELSE q.ends_on END + plan.offset_days AS step_date
       FROM quarter q JOIN organization o ON o.id = q.organization_id CROSS JOIN plan
       WHERE q.workspace_id = $1 AND q.state <> 'upcoming'),
     members AS (SELECT pilot_id, count(*)::int AS n FROM pilot_membership WHERE workspace_id = $1 GROUP BY pilot_id),
     marked AS (
       SELECT steps.*, (kind = 'checkin_request' AND random() < 0.03) AS skipped,
              (step_date + send_time::time) AT TIME ZONE time_zone AS sends_at
       FROM steps)
     INSERT INTO cadence_dispatch (workspace_id, quarter_id, step_key, kind, step_date, recipients, skipped_reason, dispatched_at)
     SELECT m.workspace_id, m.quarter_id, m.key, m.kind, m.step_date,
            CASE WHEN m.skipped THEN 0 WHEN m.audience = 'participants' THEN members.n ELSE 1 END,
            CASE WHEN m.skipped THEN 'the day passed before the quarter was activated' END, m.sends_at
     FROM marked m JOIN members ON members.pilot_id = m.pilot_id
     WHERE m.sends_at <= now()`,
    [workspaceId, plan],
  );
  await db.query(
    `WITH plan AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb) AS d(key text, template text, audience text)),
     sent AS (
       SELECT d.workspace_id, d.quarter_id, q.pilot_id, d.step_key, d.kind, plan.template, d.dispatched_at,
              CASE WHEN abs(hashtext(q.pilot_id::text)) % 4 = 0 THEN 0.004 ELSE 0 END AS failing
       FROM cadence_dispatch d JOIN quarter q ON q.id = d.quarter_id JOIN plan ON plan.key = d.step_key
       WHERE d.workspace_id = $1 AND d.skipped_reason IS NULL AND plan.audience = 'participants'
         AND d.quarter_id = ANY($3::uuid[])),
     mail AS (
       SELECT s.*, m.participant_id,
              CASE WHEN s.dispatched_at > now() - interval '1 hour' THEN 'pending'
                   WHEN random() < s.failing THEN 'failed' ELSE 'sent' END AS status
       FROM sent s JOIN pilot_membership m ON m.pilot_id = s.pilot_id
       WHERE s.kind <> 'retrospective_reminder' OR abs(hashtext(m.participant_id::text || s.step_key)) % 3 = 0)
     INSERT INTO outbox_message (workspace_id, created_at, key, quarter_id, pilot_id, step_key, kind, template, participant_id,
                                 due_at, status, generation, attempts, claimed_at, last_error, message_id, sent_at, updated_at)
     SELECT workspace_id, dispatched_at, quarter_id || '.' || step_key || '.p' || participant_id, quarter_id, pilot_id,
            step_key, kind, template, participant_id, dispatched_at, status,
            CASE status WHEN 'pending' THEN 0 ELSE 1 END, CASE status WHEN 'failed' THEN 5 WHEN 'sent' THEN 1 ELSE 0 END,
            NULL, CASE status WHEN 'failed' THEN '550 5.1.1 <recipient>: mailbox unavailable' END,
            CASE status WHEN 'sent' THEN '<' || md5(quarter_id || step_key || participant_id) || '@luotsi.example>' END,
            CASE status WHEN 'sent' THEN dispatched_at + interval '40 seconds' END,
            dispatched_at + interval '2 minutes'
     FROM mail`,
    [workspaceId, JSON.stringify(DEFAULT_CADENCE), currentQuarters],
  );
}

/**
 * A learning report for every closed quarter, built by the real service: except a few left missing and
 * one failed build, so the portfolio has reports due.
 */
async function seedReports(
  db: Client,
  reports: LearningReportService,
  workspaceId: string,
  pilots: ConsolePilot[],
): Promise<void> {
  const wanted: string[] = [];
  const failed: string[] = [];
  pilots.forEach((pilot, n) => {
    const closed = pilot.quarters.filter((q) => q.state === 'closed');
    const last = closed[closed.length - 1];
    for (const quarter of closed) {
      if (quarter === last && n % 11 === 1) continue; // not requested yet
      (quarter === last && n % 17 === 4 ? failed : wanted).push(quarter.id);
    }
  });
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, generation, progress, requested_at)
     SELECT workspace_id, organization_id, pilot_id, id, 'queued', 1, 0, ends_at + interval '1 day'
     FROM quarter WHERE workspace_id = $1 AND id = ANY($2::uuid[])
     RETURNING id`,
    [workspaceId, wanted],
  );
  // Two at a time, as two workers would build them.
  const queue = rows.map((row) => row.id);
  const builder = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) await reports.build(id, 1);
  };
  await Promise.all([builder(), builder()]);
  await db.query(
    `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, generation, progress,
                                  last_error, requested_at)
     SELECT workspace_id, organization_id, pilot_id, id, 'failed', 1, 40, 'the build timed out', ends_at + interval '1 day'
     FROM quarter WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
    [workspaceId, failed],
  );
}
