import type { LearningReportContent, Theme } from '../report-content';

/** A learning report as stored before themes were per question: one theme per language, all pooled. */
export type LearningReportContentV1 = Omit<LearningReportContent, 'version' | 'themes'> & {
  version: 1;
  themes: Theme[];
};

/**
 * A stored content in the current shape. Version 1 pooled every free-text question per language; it
 * becomes one entry with no question (`key` null) holding those languages, so old reports still render
 * and publish by the same rules (its count is what its shown languages add up to, as version 1 gave no
 * pooled total).
 */
export function currentLearning(content: LearningReportContent | LearningReportContentV1): LearningReportContent {
  if (content.version !== 1) return content;
  const shown = content.themes.filter((theme) => !theme.suppressed);
  return {
    ...content,
    version: 2,
    themes: content.themes.length
      ? [
          {
            key: null,
            text: null,
            responses: shown.reduce((sum, theme) => sum + theme.responses, 0),
            languages: content.themes,
            suppressed: shown.length === 0,
          },
        ]
      : [],
  };
}

/**
 * A ready learning report's stored content with its build time, in the current shape. The time is kept
 * in the row, not the content, so two builds of the same answers store the same bytes.
 */
export function storedLearning(report: { content: unknown; builtAt: Date | null }): LearningReportContent {
  const content = currentLearning(report.content as LearningReportContent | LearningReportContentV1);
  return { ...content, builtAt: content.builtAt ?? report.builtAt?.toISOString() ?? '' };
}
