import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Level } from '@luotsi/database';
import type { AdkarElement } from '../../surveys/question-set';
import { storedLearning } from '../learning/stored-learning';
import { publishLearning } from '../publication/publication-policy';

/** The question whose mean the trend gate follows; without it, a set's first 0–10 question. */
export const HEADLINE_QUESTION = 'confidence_next_quarter';

/** A learning report a gate's numbers come from. */
export interface EvidenceReport {
  id: string;
  pilotId: string;
  pilotName: string;
  quarterLabel: string;
}

/** Practice and outcome sums, for one pilot's latest report or for all of them together. */
export interface PracticeSums {
  participants: number | null;
  tookPart: number | null;
  participation: number | null;
  invited: number | null;
  responded: number | null;
  responseRate: number | null;
  rhythmDue: number | null;
  rhythmDone: number | null;
  rhythm: number | null;
  committedTotal: number | null;
  committedMet: number | null;
  committedMetShare: number | null;
  aspirationalScored: number | null;
  aspirationalAverage: number | null;
}

export interface AdkarMean {
  element: AdkarElement;
  responses: number;
  mean: number | null;
}

export interface HeadlineTrend {
  question: string | null;
  previousQuarter: string | null;
  previous: number | null;
  latestQuarter: string | null;
  latest: number | null;
  /** latest − previous; null with fewer than two quarters that have a mean. */
  change: number | null;
}

export interface PilotEvidence {
  report: EvidenceReport;
  practice: PracticeSums;
  adkar: AdkarMean[];
  trend: HeadlineTrend;
}

export interface RolloutEvidence {
  /** Each pilot's latest ready learning report, in wave and name order. */
  pilots: PilotEvidence[];
  totals: PracticeSums;
  adkar: AdkarMean[];
}

export interface WaveEvidence {
  /** Distinct people in any pilot of the rollout. */
  participantsInPilots: number;
  largestPilot: number;
  /** Distinct coaches assigned to the rollout's pilots. */
  pilotCoaches: number;
  pilotedLevels: Level[];
}

/**
 * Each pilot of the rollout with its latest ready learning report (the highest quarter number), in
 * wave and name order.
 */
const LATEST_REPORTS = `
  SELECT * FROM (
    SELECT DISTINCT ON (lr.pilot_id)
           lr.id AS report_id, lr.pilot_id, p.name AS pilot_name, p.wave_number, q.label AS quarter_label,
           lr.content, lr.built_at
    FROM learning_report lr
    JOIN pilot p ON p.id = lr.pilot_id
    JOIN quarter q ON q.id = lr.quarter_id
    WHERE lr.workspace_id = $1 AND p.rollout_id = $2 AND lr.status = 'ready' AND lr.content IS NOT NULL
    ORDER BY lr.pilot_id, q.number DESC
  ) latest
  ORDER BY wave_number, pilot_name, pilot_id`;

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

interface LatestReport {
  report_id: string;
  pilot_id: string;
  pilot_name: string;
  wave_number: number;
  quarter_label: string;
  c: unknown;
}

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** Set-based reads for the readiness report; every sum, rate and mean is computed by Postgres. */
@Injectable()
export class ReadinessEvidence {
  constructor(private readonly dataSource: DataSource) {}

  async forRollout(workspaceId: string, rolloutId: string): Promise<RolloutEvidence> {
    const stored: (Omit<LatestReport, 'c'> & { content: unknown; built_at: Date | null })[] =
      await this.dataSource.query(LATEST_REPORTS, [workspaceId, rolloutId]);
    // Read as the coach's view: the readiness report shows only sums over a pilot, but counts the people
    // who checked in from the per-person rhythm.
    const latest: LatestReport[] = stored.map(({ content, built_at, ...report }) => ({
      ...report,
      c: publishLearning(storedLearning({ content, builtAt: built_at }), 'coach'),
    }));
    const params = [JSON.stringify(latest)];

    // Per pilot, and (report_id null) over all of them with the same formulas: rates of sums, so each
    // pilot weighs by its own base (invited, due weeks, key results, scored results).
    // Took part: the larger of respondents and people who checked in at least once — a lower bound of
    // either-or, since anonymous answers cannot be matched to check-ins.
    const practice: Record<string, unknown>[] = await this.dataSource.query(
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
      params,
    );

    // ADKAR means per element, per pilot and over all pilots weighted by each pilot's responses.
    const adkar: { report_id: string | null; element: AdkarElement; responses: string; mean: string | null }[] =
      await this.dataSource.query(
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
        params,
      );

    // The headline question's last two quarters with a mean, from the latest report's trend series.
    const trends: Record<string, string | null>[] = await this.dataSource.query(
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
      [...params, HEADLINE_QUESTION],
    );

    const sums = (row: Record<string, unknown> | undefined): PracticeSums => ({
      participants: num(row?.participants),
      tookPart: num(row?.took_part),
      participation: num(row?.participation),
      invited: num(row?.invited),
      responded: num(row?.responded),
      responseRate: num(row?.response_rate),
      rhythmDue: num(row?.rhythm_due),
      rhythmDone: num(row?.rhythm_done),
      rhythm: num(row?.rhythm),
      committedTotal: num(row?.committed_total),
      committedMet: num(row?.committed_met),
      committedMetShare: num(row?.committed_met_share),
      aspirationalScored: num(row?.aspirational_scored),
      aspirationalAverage: num(row?.aspirational_average),
    });
    const means = (reportId: string | null): AdkarMean[] =>
      adkar
        .filter((row) => row.report_id === reportId)
        .map((row) => ({ element: row.element, responses: Number(row.responses), mean: num(row.mean) }));

    return {
      pilots: latest.map((r) => {
        const trend = trends.find((t) => t.report_id === r.report_id);
        return {
          report: { id: r.report_id, pilotId: r.pilot_id, pilotName: r.pilot_name, quarterLabel: r.quarter_label },
          practice: sums(practice.find((row) => row.report_id === r.report_id)),
          adkar: means(r.report_id),
          trend: {
            question: trend?.question ?? null,
            previousQuarter: trend?.previous_quarter ?? null,
            previous: num(trend?.previous),
            latestQuarter: trend?.latest_quarter ?? null,
            latest: num(trend?.latest),
            change: num(trend?.change),
          },
        };
      }),
      totals: sums(latest.length ? practice.find((row) => row.report_id === null) : undefined),
      adkar: means(null),
    };
  }

  async forNextWave(workspaceId: string, rolloutId: string): Promise<WaveEvidence> {
    const [row]: {
      participants_in_pilots: number;
      largest_pilot: number;
      pilot_coaches: number;
      piloted_levels: Level[];
    }[] = await this.dataSource.query(
      `WITH pilots AS (SELECT id, coach_id, levels FROM pilot WHERE workspace_id = $1 AND rollout_id = $2),
       members AS (
         SELECT pm.pilot_id, pm.participant_id FROM pilot_membership pm JOIN pilots p ON p.id = pm.pilot_id
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
    return {
      participantsInPilots: row.participants_in_pilots,
      largestPilot: row.largest_pilot,
      pilotCoaches: row.pilot_coaches,
      pilotedLevels: row.piloted_levels,
    };
  }
}
