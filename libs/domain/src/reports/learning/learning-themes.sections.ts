import { Injectable } from '@nestjs/common';
import { LOCALES, type Level } from '@luotsi/database';
import type { Theme } from '../report-content';
import { answersPublishable, effectiveK, runPublishable } from '../publication/publication-policy';
import type { QuarterConfidence, ReportSubject } from './learning-report.sections';
import { themeOf } from './themes';
import { LearningStore } from './learning.store';

/** The sections read from free text and confidence: themes per language, and confidence over quarters. */
@Injectable()
export class ThemeSections {
  constructor(private readonly store: LearningStore) {}

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
    const groups = await this.store.themeGroups(subject.workspaceId, run.id, keys);
    const shown = groups.filter((g) => g.responses >= k).map((g) => g.locale);
    const texts = shown.length
      ? await this.store.themeTexts(subject.workspaceId, run.id, keys, shown, quotableLevels)
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
    const rows = await this.store.confidence(subject.workspaceId, subject.pilot.id, subject.quarter.number);
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
