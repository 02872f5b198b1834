import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AnonymityMode } from '@luotsi/database';
import type { AspirationalReading, PilotComparison, ScoreBands } from '../report-content';
import { runPublishable } from '../publication/publication-policy';
import type { ObjectiveRefresh, ReportSubject } from './learning-report.sections';
import { numericAnswer, round4 } from './learning-sql';

export const aspirationalReading = (average: number | null): AspirationalReading | null =>
  average === null
    ? null
    : average >= 0.85
      ? 'too_safe'
      : average >= 0.6
        ? 'healthy'
        : average >= 0.4
          ? 'partial'
          : 'look_closer';

/** What the comparison reads of a quarter's practice signals. */
export interface ComparedPractice {
  rhythm: { share: number | null };
  committed: { share: number | null };
  aspirational: { average: number | null };
}

/** The sections of OKR practice: score bands, the pilots side by side, and how objectives were refreshed. */
@Injectable()
export class PracticeSections {
  constructor(private readonly dataSource: DataSource) {}

  /** Final scores of the quarter's key results in colour bands: ≥ 0.7 green, ≥ 0.4 yellow, below red. */
  async scoreBands(subject: ReportSubject): Promise<ScoreBands> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE final_score >= 0.7)::int AS green,
              count(*) FILTER (WHERE final_score >= 0.4 AND final_score < 0.7)::int AS yellow,
              count(*) FILTER (WHERE final_score < 0.4)::int AS red,
              count(*) FILTER (WHERE final_score IS NULL)::int AS unscored
       FROM key_result WHERE workspace_id = $1 AND quarter_id = $2`,
      [subject.workspaceId, subject.quarter.id],
    );
    return row;
  }

  /**
   * Every pilot of the rollout with its latest quarter up to this report's (by calendar label; a quarter
   * not yet begun is skipped), side by side. Practice numbers come from each quarter's practice signals.
   */
  async comparison(
    subject: ReportSubject,
    practiceOf: (quarterId: string) => Promise<ComparedPractice>,
  ): Promise<PilotComparison[]> {
    const rows: {
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
    }[] = await this.dataSource.query(
      `WITH pick AS (
         SELECT DISTINCT ON (p.id) p.id AS pilot_id, p.name, p.wave_number, p.created_at, q.id AS quarter_id, q.label
         FROM pilot p
         LEFT JOIN quarter q ON q.pilot_id = p.id AND q.label COLLATE "C" <= $3 AND (q.state <> 'upcoming' OR q.id = $4)
         WHERE p.workspace_id = $1 AND p.rollout_id = $2
         ORDER BY p.id, q.label COLLATE "C" DESC NULLS LAST
       )
       SELECT pick.pilot_id, pick.name, pick.quarter_id, pick.label,
              (SELECT count(*)::int FROM pilot_membership m WHERE m.workspace_id = $1 AND m.pilot_id = pick.pilot_id)
                AS participants,
              ${round4('counts.responded::numeric / NULLIF(counts.invited, 0)')} AS response_rate,
              round((score.promoters - score.detractors) * 100.0 / NULLIF(score.responses, 0), 1)::float8 AS nps,
              score.responses::int AS nps_responses, r.anonymity, r.state, r.min_group_size
       FROM pick
       LEFT JOIN retrospective r ON r.quarter_id = pick.quarter_id AND r.workspace_id = $1
       LEFT JOIN LATERAL (
         -- Answered as the response section counts it: used invitations (anonymous answers may still be held).
         SELECT count(*) AS invited, count(*) FILTER (WHERE i.used) AS responded
         FROM invitation i WHERE i.retrospective_id = r.id
       ) counts ON r.id IS NOT NULL
       LEFT JOIN LATERAL (
         SELECT count(v) AS responses, count(*) FILTER (WHERE v >= 9) AS promoters,
                count(*) FILTER (WHERE v <= 6) AS detractors
         FROM (SELECT ${numericAnswer('rr.answers', 'k.key', "'nps'")} AS v
               FROM retrospective_response rr
               CROSS JOIN (SELECT e ->> 'key' AS key FROM jsonb_array_elements(r.questions) WITH ORDINALITY AS x(e, n)
                           WHERE e ->> 'type' = 'nps' ORDER BY n LIMIT 1) k
               WHERE rr.retrospective_id = r.id) a
         WHERE v IS NOT NULL
       ) score ON r.id IS NOT NULL
       ORDER BY pick.wave_number, pick.name, pick.created_at, pick.pilot_id`,
      [subject.workspaceId, subject.rollout.id, subject.quarter.label, subject.quarter.id],
    );
    const comparisons: PilotComparison[] = [];
    for (const row of rows) {
      const practice = row.quarter_id ? await practiceOf(row.quarter_id) : null;
      comparisons.push({
        pilotId: row.pilot_id,
        pilotName: row.name,
        quarterId: row.quarter_id,
        quarterLabel: row.label,
        participants: row.participants,
        responseRate: row.response_rate,
        checkInRhythm: practice?.rhythm.share ?? null,
        // Each pilot's NPS by its own run's rules: after close (anonymous, confidential), from k answers.
        nps:
          row.anonymity &&
          runPublishable(
            { anonymity: row.anonymity, state: row.state!, minGroupSize: row.min_group_size! },
            row.nps_responses ?? 0,
          )
            ? row.nps
            : null,
        committedMet: practice?.committed.share ?? null,
        aspirationalAverage: practice?.aspirational.average ?? null,
        self: row.pilot_id === subject.pilot.id,
      });
    }
    return comparisons;
  }

  /** How many of the quarter's objectives are new, or carried over under a new title. */
  async objectiveRefresh(subject: ReportSubject): Promise<ObjectiveRefresh> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS objectives,
              count(*) FILTER (WHERE o.carried_from_id IS NULL OR src.title IS DISTINCT FROM o.title)::int
                AS "newOrRefreshed"
       FROM objective o LEFT JOIN objective src ON src.id = o.carried_from_id
       WHERE o.workspace_id = $1 AND o.quarter_id = $2`,
      [subject.workspaceId, subject.quarter.id],
    );
    return row;
  }
}
