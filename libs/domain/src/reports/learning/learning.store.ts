import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AnonymityMode, Level, Locale } from '@luotsi/database';
import { ORGANIZATION_ROWS, ROLLOUT_ROWS } from '../../organizations/relations';
import { CHECK_IN_ROWS, KEY_RESULT_ROWS, OBJECTIVE_ROWS } from '../../okrs/relations';
import { PILOT_MEMBERSHIP_ROWS } from '../../participants/relations';
import { PILOT_ROWS, QUARTER_ROWS } from '../../pilots/relations';
import { PLANNING_ENTRY_ROWS, PLANNING_REVISION_ROWS, PLANNING_TOKEN_ROWS } from '../../planning/relations';
import { INVITATION_ROWS, RETROSPECTIVE_RESPONSE_ROWS, RETROSPECTIVE_ROWS } from '../../surveys/relations';
import type { Nps, QuestionTrendPoint, ScoreBands } from '../report-content';
import type { PublishableRun } from '../publication/publication-policy';
import { answered, numericAnswer, round1, round4 } from './learning-sql';
import type { ReportSubject } from './learning-response.sections';

/** A quarter with its pilot, rollout, organization and retrospective, as a build reads its subject. */
export interface SubjectRow {
  id: string;
  number: number;
  label: string;
  starts_on: string;
  ends_on: string;
  pilot_id: string;
  pilot_name: string;
  wave_number: number;
  levels: Level[];
  rollout_id: string;
  goal: string;
  organization_id: string;
  organization_name: string;
  run_id: string | null;
  anonymity: AnonymityMode;
  min_group_size: number;
  run_state: string;
  questions: NonNullable<ReportSubject['run']>['questions'];
}

/** The planning dialogue's counts for a quarter (`LearningStore.dialogue`). */
export interface DialogueRow {
  planned: boolean;
  participants: number;
  tookPart: number;
  entries: number;
  comments: number;
  rewordings: number;
  offers: number;
  ownersVolunteered: number;
  keyResultsChanged: number;
}

/** One side of the dialogue comparison (`LearningStore.dialogueGroups`). */
export interface DialogueGroupRow {
  discussed: boolean;
  keyResults: number;
  scored: number;
  averageScore: number | null;
  checkInsPerKeyResult: number | null;
}

/** Each pilot of a rollout with its quarter to compare, and that quarter's response and NPS. */
export interface ComparisonRow {
  pilot_id: string;
  name: string;
  quarter_id: string | null;
  label: string | null;
  participants: number;
  response_rate: number | null;
  nps: number | null;
  nps_responses: number | null;
  anonymity: AnonymityMode | null;
  state: string | null;
  min_group_size: number | null;
}

/** Invited and answered for one level, or (total 1) for the whole run. */
export interface ResponseRow {
  level: Level | null;
  total: number;
  invited: number;
  responded: number;
  rate: number | null;
}

/** A question's figures, overall or for a level, or (total null) how often a value was chosen. */
export interface QuestionStatRow {
  key: string;
  level: Level | null;
  /** 1 for the question's overall row; null for a value's count. */
  total: number | null;
  /** A scale value or an option's key, for a value's count. */
  value: string | null;
  choice: string | null;
  responses: number;
  mean: number | null;
  median: number | null;
}

export type QuestionTrendRow = QuestionTrendPoint & { key: string } & PublishableRun;

export interface AdkarRow {
  element: string;
  responses: number;
  mean: number | null;
  barrier: boolean;
}

export interface ThemeGroup {
  key: string;
  locale: Locale;
  responses: number;
}

export interface ThemeText {
  key: string;
  locale: Locale;
  text: string;
  quotable: boolean;
}

export interface ConfidenceRow {
  quarter_id: string;
  label: string;
  number: number;
  survey: { anonymity: AnonymityMode; state: string; minGroupSize: number; n: number; mean: number | null } | null;
  check_ins: number | null;
}

/** What the questions of a run are, as the statements take them (`[{ key, type }]`, JSON). */
type QuestionDefs = string;

const written = `jsonb_typeof(r.answers -> f.key) = 'string' AND btrim(r.answers ->> f.key) <> ''`;

/**
 * The learning report's set-based reads: one or two statements per section, each naming the workspace
 * explicitly (a build runs for the system, not a member). Other features' tables are read through their
 * relations only; the sections (`*.sections.ts`) shape what these return.
 */
@Injectable()
export class LearningStore {
  constructor(private readonly dataSource: DataSource) {}

  async subject(workspaceId: string, quarterId: string): Promise<SubjectRow | undefined> {
    const [row]: SubjectRow[] = await this.dataSource.query(
      `SELECT q.id, q.number, q.label, q.starts_on::text AS starts_on, q.ends_on::text AS ends_on,
              p.id AS pilot_id, p.name AS pilot_name, p.wave_number, p.levels,
              ro.id AS rollout_id, ro.goal, o.id AS organization_id, o.name AS organization_name,
              r.id AS run_id, r.anonymity, r.min_group_size, r.state AS run_state, r.questions
       FROM ${QUARTER_ROWS} q
       JOIN ${PILOT_ROWS} p ON p.id = q.pilot_id
       JOIN ${ROLLOUT_ROWS} ro ON ro.id = p.rollout_id
       JOIN ${ORGANIZATION_ROWS} o ON o.id = q.organization_id
       LEFT JOIN ${RETROSPECTIVE_ROWS} r ON r.quarter_id = q.id
       WHERE q.workspace_id = $1 AND q.id = $2`,
      [workspaceId, quarterId],
    );
    return row;
  }

  // Practice

  /** Final scores of the quarter's key results in colour bands: ≥ 0.7 green, ≥ 0.4 yellow, below red. */
  async scoreBands(workspaceId: string, quarterId: string): Promise<ScoreBands> {
    const [row]: ScoreBands[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE final_score >= 0.7)::int AS green,
              count(*) FILTER (WHERE final_score >= 0.4 AND final_score < 0.7)::int AS yellow,
              count(*) FILTER (WHERE final_score < 0.4)::int AS red,
              count(*) FILTER (WHERE final_score IS NULL)::int AS unscored
       FROM ${KEY_RESULT_ROWS} kr WHERE workspace_id = $1 AND quarter_id = $2`,
      [workspaceId, quarterId],
    );
    return row;
  }

  /**
   * Every pilot of the rollout with its latest quarter up to `label` (by calendar label; a quarter not yet
   * begun is skipped, unless it is `quarterId`), with its response rate and raw NPS.
   */
  comparison(workspaceId: string, rolloutId: string, label: string, quarterId: string): Promise<ComparisonRow[]> {
    return this.dataSource.query(
      `WITH pick AS (
         SELECT DISTINCT ON (p.id) p.id AS pilot_id, p.name, p.wave_number, p.created_at, q.id AS quarter_id, q.label
         FROM ${PILOT_ROWS} p
         LEFT JOIN ${QUARTER_ROWS} q ON q.pilot_id = p.id AND q.label COLLATE "C" <= $3 AND (q.state <> 'upcoming' OR q.id = $4)
         WHERE p.workspace_id = $1 AND p.rollout_id = $2
         ORDER BY p.id, q.label COLLATE "C" DESC NULLS LAST
       )
       SELECT pick.pilot_id, pick.name, pick.quarter_id, pick.label,
              (SELECT count(*)::int FROM ${PILOT_MEMBERSHIP_ROWS} m WHERE m.workspace_id = $1 AND m.pilot_id = pick.pilot_id)
                AS participants,
              ${round4('counts.responded::numeric / NULLIF(counts.invited, 0)')} AS response_rate,
              round((score.promoters - score.detractors) * 100.0 / NULLIF(score.responses, 0), 1)::float8 AS nps,
              score.responses::int AS nps_responses, r.anonymity, r.state, r.min_group_size
       FROM pick
       LEFT JOIN ${RETROSPECTIVE_ROWS} r ON r.quarter_id = pick.quarter_id AND r.workspace_id = $1
       LEFT JOIN LATERAL (
         -- Answered as the response section counts it: used invitations (anonymous answers may still be held).
         SELECT count(*) AS invited, count(*) FILTER (WHERE i.used) AS responded
         FROM ${INVITATION_ROWS} i WHERE i.retrospective_id = r.id
       ) counts ON r.id IS NOT NULL
       LEFT JOIN LATERAL (
         SELECT count(v) AS responses, count(*) FILTER (WHERE v >= 9) AS promoters,
                count(*) FILTER (WHERE v <= 6) AS detractors
         FROM (SELECT ${numericAnswer('rr.answers', 'k.key', "'nps'")} AS v
               FROM ${RETROSPECTIVE_RESPONSE_ROWS} rr
               CROSS JOIN (SELECT e ->> 'key' AS key FROM jsonb_array_elements(r.questions) WITH ORDINALITY AS x(e, n)
                           WHERE e ->> 'type' = 'nps' ORDER BY n LIMIT 1) k
               WHERE rr.retrospective_id = r.id) a
         WHERE v IS NOT NULL
       ) score ON r.id IS NOT NULL
       ORDER BY pick.wave_number, pick.name, pick.created_at, pick.pilot_id`,
      [workspaceId, rolloutId, label, quarterId],
    );
  }

  // The planning dialogue

  /**
   * What the planning dialogue on the quarter's drafts did: who took part, what kinds of entries, the
   * key results an accepted rewording changed, the people made owners by an accepted offer, and whether
   * the quarter was planned in dialogue at all (someone had a link to it, or wrote on it).
   */
  async dialogue(workspaceId: string, quarterId: string, pilotId: string): Promise<DialogueRow> {
    const [row] = await this.dataSource.query(
      `SELECT (EXISTS (SELECT 1 FROM ${PLANNING_TOKEN_ROWS} t WHERE t.workspace_id = $1 AND t.quarter_id = $2)
                OR EXISTS (SELECT 1 FROM ${PLANNING_ENTRY_ROWS} e WHERE e.workspace_id = $1 AND e.quarter_id = $2))
                AS planned,
              (SELECT count(*)::int FROM ${PILOT_MEMBERSHIP_ROWS} m WHERE m.workspace_id = $1 AND m.pilot_id = $3)
                AS participants,
              count(DISTINCT e.participant_id)::int AS "tookPart",
              count(e.id)::int AS entries,
              count(e.id) FILTER (WHERE e.kind = 'comment')::int AS comments,
              count(e.id) FILTER (WHERE e.kind = 'rewording')::int AS rewordings,
              count(e.id) FILTER (WHERE e.kind = 'volunteer')::int AS offers,
              count(DISTINCT e.participant_id) FILTER (WHERE e.kind = 'volunteer' AND e.status = 'accepted')::int
                AS "ownersVolunteered",
              (SELECT count(DISTINCT r.key_result_id)::int FROM ${PLANNING_REVISION_ROWS} r
               WHERE r.workspace_id = $1 AND r.quarter_id = $2 AND r.key_result_id IS NOT NULL) AS "keyResultsChanged"
       FROM ${PLANNING_ENTRY_ROWS} e WHERE e.workspace_id = $1 AND e.quarter_id = $2`,
      [workspaceId, quarterId, pilotId],
    );
    return row as DialogueRow;
  }

  /** The quarter's objectives in order, with the entries on each (and on its key results), and its comments. */
  dialogueObjectives(
    workspaceId: string,
    quarterId: string,
  ): Promise<{ objectiveId: string; title: string; entries: number; comments: number }[]> {
    return this.dataSource.query(
      `SELECT o.id AS "objectiveId", o.title, count(e.id)::int AS entries,
              count(e.id) FILTER (WHERE e.kind = 'comment')::int AS comments
       FROM ${OBJECTIVE_ROWS} o LEFT JOIN ${PLANNING_ENTRY_ROWS} e ON e.objective_id = o.id AND e.quarter_id = o.quarter_id
       WHERE o.workspace_id = $1 AND o.quarter_id = $2
       GROUP BY o.id, o.title, o.position, o.created_at ORDER BY o.position, o.created_at, o.id`,
      [workspaceId, quarterId],
    );
  }

  /**
   * The quarter's key results in two groups: discussed (an entry on the key result or on its objective
   * itself) or not, each with its size, its scored key results and their mean final score, and its
   * check-ins per key result. A group with no key result has no row.
   */
  dialogueGroups(workspaceId: string, quarterId: string): Promise<DialogueGroupRow[]> {
    return this.dataSource.query(
      `WITH kr AS (
         SELECT k.id, k.final_score,
                EXISTS (SELECT 1 FROM ${PLANNING_ENTRY_ROWS} e
                        WHERE e.quarter_id = k.quarter_id
                          AND (e.key_result_id = k.id OR (e.objective_id = k.objective_id AND e.key_result_id IS NULL)))
                  AS discussed,
                (SELECT count(*) FROM ${CHECK_IN_ROWS} c WHERE c.key_result_id = k.id) AS check_ins
         FROM ${KEY_RESULT_ROWS} k WHERE k.workspace_id = $1 AND k.quarter_id = $2
       )
       SELECT discussed, count(*)::int AS "keyResults", count(final_score)::int AS scored,
              round(avg(final_score::numeric), 2)::float8 AS "averageScore",
              ${round1('sum(check_ins)::numeric / count(*)')} AS "checkInsPerKeyResult"
       FROM kr GROUP BY discussed`,
      [workspaceId, quarterId],
    );
  }

  /** How many of the quarter's objectives are new, or carried over under a new title. */
  async objectiveRefresh(workspaceId: string, quarterId: string): Promise<{ objectives: number; newOrRefreshed: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS objectives,
              count(*) FILTER (WHERE o.carried_from_id IS NULL OR src.title IS DISTINCT FROM o.title)::int
                AS "newOrRefreshed"
       FROM ${OBJECTIVE_ROWS} o LEFT JOIN ${OBJECTIVE_ROWS} src ON src.id = o.carried_from_id
       WHERE o.workspace_id = $1 AND o.quarter_id = $2`,
      [workspaceId, quarterId],
    );
    return row;
  }

  // Response and questions

  /** Invited and answered per level and overall, from the run's invitations. */
  response(workspaceId: string, runId: string): Promise<ResponseRow[]> {
    return this.dataSource.query(
      `SELECT i.level, GROUPING(i.level)::int AS total, count(*)::int AS invited,
                count(*) FILTER (WHERE i.used)::int AS responded,
                ${round4('count(*) FILTER (WHERE i.used)::numeric / NULLIF(count(*), 0)')} AS rate
         FROM ${INVITATION_ROWS} i
         WHERE i.workspace_id = $1 AND i.retrospective_id = $2
         GROUP BY ROLLUP (i.level)`,
      [workspaceId, runId],
    );
  }

  /**
   * The answers read once for both: each question's count, mean and median, overall and per level; and
   * how often each value was chosen (matching every scale point against every answer instead would read
   * the answers once per point).
   */
  questionStats(workspaceId: string, runId: string, defs: QuestionDefs): Promise<QuestionStatRow[]> {
    return this.dataSource.query(
      `WITH q AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS q(key text, type text)),
       a AS MATERIALIZED (
         SELECT q.key, r.level, ${numericAnswer('r.answers', 'q.key', 'q.type')} AS v,
                CASE WHEN q.type = 'single_choice' THEN r.answers ->> q.key END AS choice
         FROM ${RETROSPECTIVE_RESPONSE_ROWS} r CROSS JOIN q
         WHERE r.workspace_id = $1 AND r.retrospective_id = $2 AND ${answered('r.answers', 'q.key', 'q.type')})
       SELECT key, level, GROUPING(level)::int AS total, NULL AS value, NULL AS choice, count(*)::int AS responses,
              ${round1('avg(v)')} AS mean,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY v::float8))::float8 AS median
       FROM a GROUP BY key, ROLLUP (level)
       UNION ALL
       SELECT key, NULL, NULL, v::text, choice, count(*)::int, NULL, NULL
       FROM a WHERE v IS NOT NULL OR choice IS NOT NULL GROUP BY key, v, choice`,
      [workspaceId, runId, defs],
    );
  }

  /** The same key with the same type in each run of the pilot up to quarter `number`. */
  questionTrend(workspaceId: string, pilotId: string, number: number, defs: QuestionDefs): Promise<QuestionTrendRow[]> {
    return this.dataSource.query(
      `SELECT cur.key, q.id AS "quarterId", q.label AS "quarterLabel",
              r.anonymity, r.state, r.min_group_size AS "minGroupSize",
              count(rr.id) FILTER (WHERE ${answered('rr.answers', 'cur.key', 'cur.type')})::int AS responses,
              ${round1(`avg(${numericAnswer('rr.answers', 'cur.key', 'cur.type')})`)} AS mean
       FROM ${QUARTER_ROWS} q
       JOIN ${RETROSPECTIVE_ROWS} r ON r.quarter_id = q.id AND r.workspace_id = $1
       CROSS JOIN LATERAL jsonb_to_recordset(r.questions) AS asked(key text, type text)
       JOIN jsonb_to_recordset($4::jsonb) AS cur(key text, type text) ON cur.key = asked.key AND cur.type = asked.type
       LEFT JOIN ${RETROSPECTIVE_RESPONSE_ROWS} rr ON rr.retrospective_id = r.id AND rr.workspace_id = $1
       WHERE q.workspace_id = $1 AND q.pilot_id = $2 AND q.number <= $3
       GROUP BY cur.key, q.id, q.label, q.number, r.anonymity, r.state, r.min_group_size
       ORDER BY cur.key, q.number`,
      [workspaceId, pilotId, number, defs],
    );
  }

  /** The standard NPS of question `key`: % promoters (9–10) − % detractors (0–6). */
  async nps(workspaceId: string, runId: string, key: string): Promise<Nps> {
    const [row]: Nps[] = await this.dataSource.query(
      `SELECT count(v)::int AS responses,
              count(*) FILTER (WHERE v >= 9)::int AS promoters,
              count(*) FILTER (WHERE v BETWEEN 7 AND 8)::int AS passives,
              count(*) FILTER (WHERE v <= 6)::int AS detractors,
              round((count(*) FILTER (WHERE v >= 9) - count(*) FILTER (WHERE v <= 6)) * 100.0
                    / NULLIF(count(v), 0), 1)::float8 AS score
       FROM (SELECT ${numericAnswer('r.answers', '$3::text', "'nps'")} AS v
             FROM ${RETROSPECTIVE_RESPONSE_ROWS} r WHERE r.workspace_id = $1 AND r.retrospective_id = $2) a
       WHERE v IS NOT NULL`,
      [workspaceId, runId, key],
    );
    return row;
  }

  /** The mean 1–5 rating per ADKAR element asked (`asked`: `[{ key, type, element }]`, JSON). */
  adkar(workspaceId: string, runId: string, asked: string): Promise<AdkarRow[]> {
    return this.dataSource.query(
      `WITH q AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS q(key text, type text, element text))
         SELECT q.element, count(a.v)::int AS responses, ${round1('avg(a.v)')} AS mean,
                COALESCE(${round1('avg(a.v)')} <= 3, false) AS barrier
         FROM q LEFT JOIN LATERAL (
           SELECT ${numericAnswer('r.answers', 'q.key', 'q.type')} AS v
           FROM ${RETROSPECTIVE_RESPONSE_ROWS} r WHERE r.workspace_id = $1 AND r.retrospective_id = $2) a ON true
         GROUP BY q.element`,
      [workspaceId, runId, asked],
    );
  }

  // Themes and confidence

  /** Per free-text question `keys` and language of the response, the answers with text. */
  themeGroups(workspaceId: string, runId: string, keys: string[]): Promise<ThemeGroup[]> {
    return this.dataSource.query(
      `SELECT f.key, r.locale, count(*)::int AS responses
       FROM ${RETROSPECTIVE_RESPONSE_ROWS} r CROSS JOIN unnest($3::text[]) AS f(key)
       WHERE r.workspace_id = $1 AND r.retrospective_id = $2 AND ${written}
       GROUP BY f.key, r.locale`,
      [workspaceId, runId, keys],
    );
  }

  /**
   * The free texts of the question and language pairs shown (`shown`: `[{ key, locale }]`, JSON), each
   * with whether its level may be quoted.
   */
  themeTexts(workspaceId: string, runId: string, shown: string, quotableLevels: Level[]): Promise<ThemeText[]> {
    return this.dataSource.query(
      `SELECT f.key, r.locale, btrim(r.answers ->> f.key) AS text, r.level = ANY($4::text[]) AS quotable
           FROM ${RETROSPECTIVE_RESPONSE_ROWS} r
           JOIN jsonb_to_recordset($3::jsonb) AS f(key text, locale text) ON f.locale = r.locale
           WHERE r.workspace_id = $1 AND r.retrospective_id = $2 AND ${written}
           ORDER BY 1, 3, 2`,
      [workspaceId, runId, shown, quotableLevels],
    );
  }

  /** Confidence in quarter `number` of the pilot and the two before it, oldest first. */
  confidence(workspaceId: string, pilotId: string, number: number): Promise<ConfidenceRow[]> {
    return this.dataSource.query(
      `SELECT q.id AS quarter_id, q.label, q.number,
              (SELECT jsonb_build_object('anonymity', r.anonymity, 'state', r.state, 'minGroupSize', r.min_group_size,
                        'n', count(${numericAnswer('rr.answers', 'c.key', 'c.type')}),
                        'mean', ${round1(`avg(${numericAnswer('rr.answers', 'c.key', 'c.type')})`)})
               FROM ${RETROSPECTIVE_ROWS} r
               CROSS JOIN LATERAL (
                 SELECT e ->> 'key' AS key, e ->> 'type' AS type
                 FROM jsonb_array_elements(r.questions) WITH ORDINALITY AS x(e, n)
                 WHERE e ->> 'section' = 'confidence' AND e ->> 'type' = 'scale10' ORDER BY n LIMIT 1) c
               JOIN ${RETROSPECTIVE_RESPONSE_ROWS} rr ON rr.retrospective_id = r.id
               WHERE r.quarter_id = q.id AND r.workspace_id = $1
               GROUP BY r.anonymity, r.state, r.min_group_size) AS survey,
              (SELECT ${round4('avg(ci.confidence)')} FROM ${CHECK_IN_ROWS} ci WHERE ci.workspace_id = $1 AND ci.quarter_id = q.id)
                AS check_ins
       FROM ${QUARTER_ROWS} q
       WHERE q.workspace_id = $1 AND q.pilot_id = $2 AND q.number BETWEEN $3 - 2 AND $3
       ORDER BY q.number`,
      [workspaceId, pilotId, number],
    );
  }
}
