import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Level } from '@luotsi/database';
import { PILOT_MEMBERSHIP_ROWS } from '../../participants/relations';
import { PILOT_ROWS } from '../../pilots/relations';
import type { AdkarMean } from './readiness-evidence';

/**
 * Those reports as the publication policy publishes them (`$1`, a jsonb array), for the gates to read
 * with jsonb operators rather than re-deriving anything from answers and check-ins: a withheld ADKAR
 * element is absent, a withheld NPS null, a question under k has no mean, a trend point under k is left
 * out, and means have one decimal, whatever an older build stored.
 */
const LATEST = `
  latest AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb)
      AS l(report_id uuid, pilot_id uuid, pilot_name text, wave_number int, quarter_label text, c jsonb)
  )`;

/** A row of sums per pilot (its report's id) or, with `report_id` null, over all of them. */
export type PracticeRow = Record<string, unknown>;

export interface AdkarRow {
  report_id: string | null;
  element: AdkarMean['element'];
  responses: string;
  mean: string | null;
}

export type TrendRow = Record<string, string | null>;

export interface WaveRow {
  participants_in_pilots: number;
  largest_pilot: number;
  pilot_coaches: number;
  piloted_levels: Level[];
}

/**
 * The readiness report's set-based reads: sums, rates and means over the pilots' latest learning reports
 * (given as a jsonb array, `latest`), and the people and coaches of a rollout's pilots, read through the
 * pilots' and participants' relations. Every figure is computed by Postgres.
 */
@Injectable()
export class ReadinessStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Per pilot, and (report_id null) over all of them with the same formulas: rates of sums, so each
   * pilot weighs by its own base (invited, due weeks, key results, scored results).
   * Took part: the larger of respondents and people who checked in at least once — a lower bound of
   * either-or, since anonymous answers cannot be matched to check-ins.
   */
  practice(latest: string): Promise<PracticeRow[]> {
    return this.dataSource.query(
      `WITH ${LATEST},
       per_pilot AS (
         SELECT report_id,
                COALESCE((SELECT (e->>'participants')::int FROM jsonb_array_elements(c->'comparison') e
                          WHERE (e->>'self')::boolean LIMIT 1),
                         (c->'response'->>'of')::int) AS participants,
                (c->'response'->>'of')::int AS invited,
                (c->'response'->>'count')::int AS responded,
                (SELECT count(*) FROM jsonb_array_elements(c->'practice'->'rhythm'->'people') x
                 WHERE (x->>'done')::int > 0)::int AS checked_in,
                (c->'practice'->'rhythm'->>'due')::int AS rhythm_due,
                (c->'practice'->'rhythm'->>'done')::int AS rhythm_done,
                (c->'practice'->'committed'->>'total')::int AS committed_total,
                (c->'practice'->'committed'->>'met')::int AS committed_met,
                (c->'practice'->'aspirational'->>'scored')::int AS aspirational_scored,
                (c->'practice'->'aspirational'->>'average')::numeric AS aspirational_average
         FROM latest
       )
       SELECT report_id,
              sum(participants) AS participants,
              sum(GREATEST(responded, checked_in)) AS took_part,
              round(sum(GREATEST(responded, checked_in))::numeric / nullif(sum(participants), 0), 4) AS participation,
              sum(invited) AS invited,
              sum(responded) AS responded,
              round(sum(responded)::numeric / nullif(sum(invited), 0), 4) AS response_rate,
              sum(rhythm_due) AS rhythm_due,
              sum(rhythm_done) AS rhythm_done,
              round(sum(rhythm_done)::numeric / nullif(sum(rhythm_due), 0), 4) AS rhythm,
              sum(committed_total) AS committed_total,
              sum(committed_met) AS committed_met,
              round(sum(committed_met)::numeric / nullif(sum(committed_total), 0), 4) AS committed_met_share,
              sum(aspirational_scored) FILTER (WHERE aspirational_average IS NOT NULL) AS aspirational_scored,
              round(sum(aspirational_average * aspirational_scored)
                    / nullif(sum(aspirational_scored) FILTER (WHERE aspirational_average IS NOT NULL), 0), 4)
                AS aspirational_average
       FROM per_pilot
       GROUP BY GROUPING SETS ((report_id), ())`,
      [latest],
    );
  }

  /** ADKAR means per element, per pilot and over all pilots weighted by each pilot's responses. */
  adkar(latest: string): Promise<AdkarRow[]> {
    return this.dataSource.query(
        `WITH ${LATEST},
       rated AS (
         SELECT report_id, a->>'element' AS element, (a->>'responses')::int AS responses,
                (a->>'mean')::numeric AS mean
         FROM latest CROSS JOIN LATERAL jsonb_array_elements(c->'adkar') a
       )
       SELECT report_id, element,
              COALESCE(sum(responses) FILTER (WHERE mean IS NOT NULL), 0) AS responses,
              round(sum(mean * responses) / nullif(sum(responses) FILTER (WHERE mean IS NOT NULL), 0), 4) AS mean
       FROM rated
       GROUP BY GROUPING SETS ((report_id, element), (element))`,
      [latest],
    );
  }

  /** The headline question's last two quarters with a mean, from the latest report's trend series. */
  trends(latest: string, headline: string): Promise<TrendRow[]> {
    return this.dataSource.query(
      `WITH ${LATEST},
       headline AS (
         SELECT report_id, h.q
         FROM latest
         CROSS JOIN LATERAL (
           SELECT q FROM jsonb_array_elements(c->'questions') WITH ORDINALITY AS x(q, i)
           WHERE q->>'key' = $2 OR q->>'type' = 'scale10'
           ORDER BY (q->>'key' = $2) DESC, i
           LIMIT 1
         ) h
       ),
       points AS (
         SELECT report_id, q->>'key' AS question, t->>'quarterLabel' AS label, (t->>'mean')::numeric AS mean,
                row_number() OVER (PARTITION BY report_id ORDER BY i DESC) AS back
         FROM headline CROSS JOIN LATERAL jsonb_array_elements(q->'trend') WITH ORDINALITY AS y(t, i)
         WHERE t->>'mean' IS NOT NULL
       )
       SELECT l.report_id,
              max(p.question) AS question,
              max(p.label) FILTER (WHERE p.back = 2) AS previous_quarter,
              max(p.mean) FILTER (WHERE p.back = 2) AS previous,
              max(p.label) FILTER (WHERE p.back = 1) AS latest_quarter,
              max(p.mean) FILTER (WHERE p.back = 1) AS latest,
              max(p.mean) FILTER (WHERE p.back = 1) - max(p.mean) FILTER (WHERE p.back = 2) AS change
       FROM latest l LEFT JOIN points p ON p.report_id = l.report_id AND p.back <= 2
       GROUP BY l.report_id`,
      [latest, headline],
    );
  }

  /** Distinct people and coaches in the rollout's pilots, the largest pilot and the levels piloted. */
  async nextWave(workspaceId: string, rolloutId: string): Promise<WaveRow> {
    const [row]: WaveRow[] = await this.dataSource.query(
      `WITH pilots AS (SELECT id, coach_id, levels FROM ${PILOT_ROWS} pilot WHERE workspace_id = $1 AND rollout_id = $2),
       members AS (
         SELECT pm.pilot_id, pm.participant_id FROM ${PILOT_MEMBERSHIP_ROWS} pm JOIN pilots p ON p.id = pm.pilot_id
         WHERE pm.workspace_id = $1
       )
       SELECT (SELECT count(DISTINCT participant_id) FROM members)::int AS participants_in_pilots,
              (SELECT COALESCE(max(n), 0) FROM (SELECT count(*) AS n FROM members GROUP BY pilot_id) s)::int
                AS largest_pilot,
              (SELECT count(DISTINCT coach_id) FROM pilots)::int AS pilot_coaches,
              (SELECT COALESCE(array_agg(DISTINCT l), '{}') FROM pilots CROSS JOIN LATERAL unnest(levels) l)
                AS piloted_levels`,
      [workspaceId, rolloutId],
    );
    return row;
  }
}
