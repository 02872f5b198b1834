import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LOCALES, type AnonymityMode, type Level, type Locale } from '@luotsi/database';
import type { Theme } from '../report-content';
import { answersPublishable, effectiveK, runPublishable } from '../publication/publication-policy';
import type { QuarterConfidence, ReportSubject } from './learning-report.sections';
import { themeOf } from './themes';
import { numericAnswer, round1, round4 } from './learning-sql';

/** The sections read from free text and confidence: themes per language, and confidence over quarters. */
@Injectable()
export class ThemeSections {
  constructor(private readonly dataSource: DataSource) {}

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
