import { Injectable } from '@nestjs/common';
import type { Level, Locale } from '@luotsi/database';
import type { QuestionThemes } from '../report-content';
import { answersPublishable, effectiveK, runPublishable } from '../publication/publication-policy';
import type { QuarterConfidence, ReportSubject } from './learning-report.sections';
import { questionThemesOf, shownLanguages } from './themes';
import { LearningStore } from './learning.store';

/** The sections read from free text and confidence: themes per question, and confidence over quarters. */
@Injectable()
export class ThemeSections {
  constructor(private readonly store: LearningStore) {}

  /**
   * Themes of each free-text question of the run, apart ("what worked" is not pooled with "what didn't"),
   * and within a question per language. Postgres counts each question's answers with text per language;
   * only the languages the publication policy would show have their texts read, to find terms and quotes.
   *
   * An answer's language is the response's `locale`: the participant's language frozen on the invitation
   * when the run opened, in which the form was shown. People answer in the language they were asked in,
   * so no detection is needed, and a language guessed per answer could move a short text between groups
   * (and so between stemmers and k counts) unpredictably; a text written in another language is merely
   * stemmed with the wrong rules, which changes few words.
   *
   * A quote comes only from a level the report shows (`quotableLevels`); nothing is read before an
   * anonymous or confidential run closes.
   */
  async themes(subject: ReportSubject, quotableLevels: Level[]): Promise<QuestionThemes[]> {
    const run = subject.run;
    const questions = run?.questions.filter((q) => q.type === 'free_text') ?? [];
    if (!run || !questions.length || !answersPublishable(run)) return [];
    const k = effectiveK(run.minGroupSize);
    const groups = await this.store.themeGroups(
      subject.workspaceId,
      run.id,
      questions.map((q) => q.key),
    );
    const counts = new Map(
      questions.map((q) => [
        q.key,
        new Map(groups.filter((g) => g.key === q.key).map((g): [Locale, number] => [g.locale, g.responses])),
      ]),
    );
    const shown = questions.flatMap((q) => {
      const n = counts.get(q.key)!;
      const total = [...n.values()].reduce((sum, x) => sum + x, 0);
      return total < k ? [] : [...shownLanguages(n, k)].map((locale) => ({ key: q.key, locale }));
    });
    const texts = shown.length
      ? await this.store.themeTexts(subject.workspaceId, run.id, JSON.stringify(shown), quotableLevels)
      : [];
    return questions.map((q) =>
      questionThemesOf(
        q,
        counts.get(q.key)!,
        texts.filter((t) => t.key === q.key),
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
