import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEVELS, LOCALES, type AnonymityMode, type Level, type Locale } from '@luotsi/database';
import type { PracticeSignals } from '../../okrs/practice-signals.service';
import { ADKAR_ELEMENTS, SCALE_RANGES, type Question } from '../../surveys/question-set';
import type {
  AdkarSummary,
  AspirationalReading,
  LearningReportContent,
  Nps,
  PilotComparison,
  QuestionSummary,
  QuestionTrendPoint,
  ScoreBands,
  Theme,
  ValueCount,
} from '../report-content';
import { themeOf } from './themes';
import {
  answersPublishable,
  effectiveK,
  runPublishable,
  type PublishableRun,
} from '../publication/publication-policy';

/** What a report is about, read once at the start of a build. */
export interface ReportSubject {
  workspaceId: string;
  organization: { id: string; name: string };
  rollout: { id: string; goal: string };
  pilot: { id: string; name: string; waveNumber: number; levels: Level[] };
  quarter: { id: string; label: string; number: number; startsOn: string; endsOn: string };
  run: {
    id: string;
    anonymity: AnonymityMode;
    minGroupSize: number;
    state: string;
    questions: Question[];
  } | null;
}

export interface ObjectiveRefresh {
  objectives: number;
  /** Objectives created in the quarter, or carried in under a new title. */
  newOrRefreshed: number;
}

export interface QuarterConfidence {
  quarterId: string;
  label: string;
  number: number;
  /** The mean answer to the retrospective's confidence question, else the mean check-in confidence. */
  confidence: number | null;
  source: 'retrospective' | 'check_ins' | null;
}

const NUMERIC = `('likert5', 'scale10', 'nps')`;

/** Whether `answers` answers question `key` of `type`: a number, an option key, or a non-blank text. */
const answered = (answers: string, key: string, type: string) =>
  `(CASE ${type}
      WHEN 'free_text' THEN jsonb_typeof(${answers} -> ${key}) = 'string' AND btrim(${answers} ->> ${key}) <> ''
      WHEN 'single_choice' THEN jsonb_typeof(${answers} -> ${key}) = 'string'
      ELSE jsonb_typeof(${answers} -> ${key}) = 'number' END)`;

/** The numeric answer; null for unanswered and for the types that are not scales. */
const numericAnswer = (answers: string, key: string, type: string) =>
  `(CASE WHEN ${type} IN ${NUMERIC} AND jsonb_typeof(${answers} -> ${key}) = 'number'
         THEN (${answers} ->> ${key})::numeric END)`;

/** Rates carry four decimals, rounded by Postgres (half away from zero). */
const round4 = (expression: string) => `round((${expression})::numeric, 4)::float8`;
/** Means of answers carry one decimal: all a reader needs, and no more to subtract with. */
const round1 = (expression: string) => `round((${expression})::numeric, 1)::float8`;

const levelOrder = (levels: Iterable<Level>): Level[] => {
  const present = new Set(levels);
  return LEVELS.filter((level) => present.has(level));
};

const isScale = (question: Question): question is Question & { type: keyof typeof SCALE_RANGES } =>
  question.type in SCALE_RANGES;

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

/**
 * The parts of a learning report, each one or two set-based statements: Postgres counts, averages and
 * takes medians; only free text in groups of at least k comes back to Node, as text, for the themes.
 * Every statement names the workspace explicitly (a build runs for the system, not a member).
 */
@Injectable()
export class LearningReportSections {
  constructor(private readonly dataSource: DataSource) {}

  async subject(workspaceId: string, quarterId: string): Promise<ReportSubject> {
    const [row] = await this.dataSource.query(
      `SELECT q.id, q.number, q.label, q.starts_on::text AS starts_on, q.ends_on::text AS ends_on,
              p.id AS pilot_id, p.name AS pilot_name, p.wave_number, p.levels,
              ro.id AS rollout_id, ro.goal, o.id AS organization_id, o.name AS organization_name,
              r.id AS run_id, r.anonymity, r.min_group_size, r.state AS run_state, r.questions
       FROM quarter q
       JOIN pilot p ON p.id = q.pilot_id
       JOIN rollout ro ON ro.id = p.rollout_id
       JOIN organization o ON o.id = q.organization_id
       LEFT JOIN retrospective r ON r.quarter_id = q.id
       WHERE q.workspace_id = $1 AND q.id = $2`,
      [workspaceId, quarterId],
    );
    if (!row) throw new Error(`Quarter ${quarterId} is gone`);
    return {
      workspaceId,
      organization: { id: row.organization_id, name: row.organization_name },
      rollout: { id: row.rollout_id, goal: row.goal },
      pilot: { id: row.pilot_id, name: row.pilot_name, waveNumber: row.wave_number, levels: row.levels },
      quarter: {
        id: row.id,
        label: row.label,
        number: row.number,
        startsOn: row.starts_on,
        endsOn: row.ends_on,
      },
      run: row.run_id
        ? {
            id: row.run_id,
            anonymity: row.anonymity,
            minGroupSize: row.min_group_size,
            state: row.run_state,
            questions: row.questions,
          }
        : null,
    };
  }

  /**
   * Invited and answered, overall and per level, from the run's invitations: the level frozen on each
   * when the run opened, and its `used` flag (which also counts anonymous answers still waiting to be
   * moved into the run's answers). Raw: the publication policy decides which levels are shown.
   */
  async response(subject: ReportSubject): Promise<LearningReportContent['response']> {
    const run = subject.run;
    if (!run) return { of: 0, count: 0, rate: null, byLevel: [] };
    const rows: { level: Level | null; total: number; invited: number; responded: number; rate: number | null }[] =
      await this.dataSource.query(
        `SELECT i.level, GROUPING(i.level)::int AS total, count(*)::int AS invited,
                count(*) FILTER (WHERE i.used)::int AS responded,
                ${round4('count(*) FILTER (WHERE i.used)::numeric / NULLIF(count(*), 0)')} AS rate
         FROM invitation i
         WHERE i.workspace_id = $1 AND i.retrospective_id = $2
         GROUP BY ROLLUP (i.level)`,
        [subject.workspaceId, run.id],
      );
    const overall = rows.find((row) => row.total === 1);
    const levels = levelOrder([
      ...subject.pilot.levels,
      ...rows.filter((row) => row.total === 0 && row.level).map((row) => row.level as Level),
    ]);
    return {
      of: overall?.invited ?? 0,
      count: overall?.responded ?? 0,
      rate: overall?.rate ?? null,
      byLevel: levels.map((level) => {
        const row = rows.find((r) => r.total === 0 && r.level === level);
        return { level, of: row?.invited ?? 0, count: row?.responded ?? 0, rate: row?.rate ?? null };
      }),
    };
  }

  /** Per question: distribution over every possible answer, mean, median, per level, and the trend. */
  async questions(subject: ReportSubject, levels: Level[]): Promise<QuestionSummary[]> {
    const run = subject.run;
    if (!run) return [];
    const params = [subject.workspaceId, run.id];
    const defs = JSON.stringify(run.questions.map((q) => ({ key: q.key, type: q.type })));
    // The answers are read once for both: each question's count, mean and median, overall and per
    // level; and how often each value was chosen (matching every scale point against every answer
    // instead would read the answers once per point).
    const stats: {
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
    }[] = await this.dataSource.query(
      `WITH q AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS q(key text, type text)),
       a AS MATERIALIZED (
         SELECT q.key, r.level, ${numericAnswer('r.answers', 'q.key', 'q.type')} AS v,
                CASE WHEN q.type = 'single_choice' THEN r.answers ->> q.key END AS choice
         FROM retrospective_response r CROSS JOIN q
         WHERE r.workspace_id = $1 AND r.retrospective_id = $2 AND ${answered('r.answers', 'q.key', 'q.type')})
       SELECT key, level, GROUPING(level)::int AS total, NULL AS value, NULL AS choice, count(*)::int AS responses,
              ${round1('avg(v)')} AS mean,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY v::float8))::float8 AS median
       FROM a GROUP BY key, ROLLUP (level)
       UNION ALL
       SELECT key, NULL, NULL, v::text, choice, count(*)::int, NULL, NULL
       FROM a WHERE v IS NOT NULL OR choice IS NOT NULL GROUP BY key, v, choice`,
      [...params, defs],
    );
    const tallies = stats.filter((s) => s.total === null);
    // Every point of a scale and every option, so a value nobody chose shows as 0.
    const distributionOf = (question: Question): ValueCount[] => {
      const tally = tallies.filter((t) => t.key === question.key);
      const count = (matches: (t: (typeof tally)[number]) => boolean) =>
        tally.filter(matches).reduce((sum, t) => sum + t.responses, 0);
      return isScale(question)
        ? range(SCALE_RANGES[question.type].min, SCALE_RANGES[question.type].max).map((value) => ({
            value,
            count: count((t) => t.value !== null && Number(t.value) === value),
          }))
        : (question.options ?? []).map((option) => ({
            value: option.key,
            count: count((t) => t.choice === option.key),
          }));
    };

    // The same key with the same type in each run of the pilot up to this quarter.
    const trend: (QuestionTrendPoint & { key: string } & PublishableRun)[] = await this.dataSource.query(
      `SELECT cur.key, q.id AS "quarterId", q.label AS "quarterLabel",
              r.anonymity, r.state, r.min_group_size AS "minGroupSize",
              count(rr.id) FILTER (WHERE ${answered('rr.answers', 'cur.key', 'cur.type')})::int AS responses,
              ${round1(`avg(${numericAnswer('rr.answers', 'cur.key', 'cur.type')})`)} AS mean
       FROM quarter q
       JOIN retrospective r ON r.quarter_id = q.id AND r.workspace_id = $1
       CROSS JOIN LATERAL jsonb_to_recordset(r.questions) AS asked(key text, type text)
       JOIN jsonb_to_recordset($4::jsonb) AS cur(key text, type text) ON cur.key = asked.key AND cur.type = asked.type
       LEFT JOIN retrospective_response rr ON rr.retrospective_id = r.id AND rr.workspace_id = $1
       WHERE q.workspace_id = $1 AND q.pilot_id = $2 AND q.number <= $3
       GROUP BY cur.key, q.id, q.label, q.number, r.anonymity, r.state, r.min_group_size
       ORDER BY cur.key, q.number`,
      [subject.workspaceId, subject.pilot.id, subject.quarter.number, defs],
    );

    return run.questions.map((question): QuestionSummary => {
      const overall = stats.find((s) => s.key === question.key && s.total === 1);
      const distribution = distributionOf(question);
      return {
        key: question.key,
        type: question.type,
        text: { fi: question.text.fi, sv: question.text.sv, en: question.text.en },
        responses: overall?.responses ?? 0,
        distribution,
        mean: overall?.mean ?? null,
        median: overall?.median ?? null,
        // Each quarter's run is its own group, published by its own rules.
        trend: trend
          .filter((t) => t.key === question.key && runPublishable(t, t.responses))
          .map(({ quarterId, quarterLabel, responses, mean }) => ({ quarterId, quarterLabel, responses, mean })),
        byLevel: levels.map((level) => {
          const row = stats.find((s) => s.key === question.key && s.total === 0 && s.level === level);
          return { level, responses: row?.responses ?? 0, mean: row?.mean ?? null };
        }),
      };
    });
  }

  /** The standard NPS of the run's first 0–10 recommendation question: % promoters (9–10) − % detractors (0–6). */
  async nps(subject: ReportSubject): Promise<Nps | null> {
    const question = subject.run?.questions.find((q) => q.type === 'nps');
    if (!subject.run || !question) return null;
    const [row] = await this.dataSource.query(
      `SELECT count(v)::int AS responses,
              count(*) FILTER (WHERE v >= 9)::int AS promoters,
              count(*) FILTER (WHERE v BETWEEN 7 AND 8)::int AS passives,
              count(*) FILTER (WHERE v <= 6)::int AS detractors,
              round((count(*) FILTER (WHERE v >= 9) - count(*) FILTER (WHERE v <= 6)) * 100.0
                    / NULLIF(count(v), 0), 1)::float8 AS score
       FROM (SELECT ${numericAnswer('r.answers', '$3::text', "'nps'")} AS v
             FROM retrospective_response r WHERE r.workspace_id = $1 AND r.retrospective_id = $2) a
       WHERE v IS NOT NULL`,
      [subject.workspaceId, subject.run.id, question.key],
    );
    return row;
  }

  /** The mean 1–5 rating per ADKAR element the run asked about; 3 or less is a barrier. */
  async adkar(subject: ReportSubject): Promise<AdkarSummary[]> {
    const asked = subject.run?.questions.filter((q) => q.adkar) ?? [];
    if (!subject.run || !asked.length) return [];
    const rows: { element: string; responses: number; mean: number | null; barrier: boolean }[] =
      await this.dataSource.query(
        `WITH q AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS q(key text, type text, element text))
         SELECT q.element, count(a.v)::int AS responses, ${round1('avg(a.v)')} AS mean,
                COALESCE(${round1('avg(a.v)')} <= 3, false) AS barrier
         FROM q LEFT JOIN LATERAL (
           SELECT ${numericAnswer('r.answers', 'q.key', 'q.type')} AS v
           FROM retrospective_response r WHERE r.workspace_id = $1 AND r.retrospective_id = $2) a ON true
         GROUP BY q.element`,
        [
          subject.workspaceId,
          subject.run.id,
          JSON.stringify(asked.map((q) => ({ key: q.key, type: q.type, element: q.adkar }))),
        ],
      );
    return ADKAR_ELEMENTS.flatMap((element) => {
      const row = rows.find((r) => r.element === element);
      return row ? [{ element, responses: row.responses, mean: row.mean, barrier: row.barrier }] : [];
    });
  }

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
    practiceOf: (quarterId: string) => Promise<PracticeSignals>,
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

  /**
   * Themes per language of the answers. Postgres counts the responses with any free text per language;
   * only the languages with at least k such responses have their texts read, to find terms and quotes.
   * A quote comes only from a level the report shows (`quotableLevels`), whatever its language group;
   * nothing is read before an anonymous or confidential run closes.
   */
  async themes(subject: ReportSubject, quotableLevels: Level[]): Promise<Theme[]> {
    const run = subject.run;
    const k = effectiveK(run?.minGroupSize);
    const keys = run?.questions.filter((q) => q.type === 'free_text').map((q) => q.key) ?? [];
    if (!run || !keys.length || !answersPublishable(run)) return LOCALES.map((locale) => themeOf(locale, 0, [], k));
    const params = [subject.workspaceId, run.id, keys];
    const written = `jsonb_typeof(r.answers -> f.key) = 'string' AND btrim(r.answers ->> f.key) <> ''`;
    const groups: { locale: Locale; responses: number }[] = await this.dataSource.query(
      `SELECT r.locale, count(DISTINCT r.id)::int AS responses
       FROM retrospective_response r CROSS JOIN unnest($3::text[]) AS f(key)
       WHERE r.workspace_id = $1 AND r.retrospective_id = $2 AND ${written}
       GROUP BY r.locale`,
      params,
    );
    const shown = groups.filter((g) => g.responses >= k).map((g) => g.locale);
    const texts: { locale: Locale; text: string; quotable: boolean }[] = shown.length
      ? await this.dataSource.query(
          `SELECT r.locale, btrim(r.answers ->> f.key) AS text, r.level = ANY($5::text[]) AS quotable
           FROM retrospective_response r CROSS JOIN unnest($3::text[]) AS f(key)
           WHERE r.workspace_id = $1 AND r.retrospective_id = $2 AND r.locale = ANY($4::text[]) AND ${written}
           ORDER BY 2, 1`,
          [...params, shown, quotableLevels],
        )
      : [];
    return LOCALES.map((locale) =>
      themeOf(
        locale,
        groups.find((g) => g.locale === locale)?.responses ?? 0,
        texts.filter((t) => t.locale === locale),
        k,
      ),
    );
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

  /** Confidence in this quarter and the two before it, oldest first. */
  async confidence(subject: ReportSubject): Promise<QuarterConfidence[]> {
    const rows: {
      quarter_id: string;
      label: string;
      number: number;
      survey: { anonymity: AnonymityMode; state: string; minGroupSize: number; n: number; mean: number | null } | null;
      check_ins: number | null;
    }[] = await this.dataSource.query(
      `SELECT q.id AS quarter_id, q.label, q.number,
              (SELECT jsonb_build_object('anonymity', r.anonymity, 'state', r.state, 'minGroupSize', r.min_group_size,
                        'n', count(${numericAnswer('rr.answers', 'c.key', 'c.type')}),
                        'mean', ${round1(`avg(${numericAnswer('rr.answers', 'c.key', 'c.type')})`)})
               FROM retrospective r
               CROSS JOIN LATERAL (
                 SELECT e ->> 'key' AS key, e ->> 'type' AS type
                 FROM jsonb_array_elements(r.questions) WITH ORDINALITY AS x(e, n)
                 WHERE e ->> 'section' = 'confidence' AND e ->> 'type' = 'scale10' ORDER BY n LIMIT 1) c
               JOIN retrospective_response rr ON rr.retrospective_id = r.id
               WHERE r.quarter_id = q.id AND r.workspace_id = $1
               GROUP BY r.anonymity, r.state, r.min_group_size) AS survey,
              (SELECT ${round4('avg(ci.confidence)')} FROM check_in ci WHERE ci.workspace_id = $1 AND ci.quarter_id = q.id)
                AS check_ins
       FROM quarter q
       WHERE q.workspace_id = $1 AND q.pilot_id = $2 AND q.number BETWEEN $3 - 2 AND $3
       ORDER BY q.number`,
      [subject.workspaceId, subject.pilot.id, subject.quarter.number],
    );
    return rows.map((row) => {
      // Each quarter's run by its own rules: its mean only once published (closed or named, k answers).
      const survey = row.survey && runPublishable(row.survey, row.survey.n) ? row.survey.mean : null;
      return {
        quarterId: row.quarter_id,
        label: row.label,
        number: row.number,
        confidence: survey ?? row.check_ins,
        source: survey !== null ? 'retrospective' : row.check_ins !== null ? 'check_ins' : null,
      };
    });
  }
}

function range(min: number, max: number): number[] {
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}
