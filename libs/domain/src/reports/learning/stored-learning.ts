import type { LearningReportContent } from '../report-content';

/**
 * A ready learning report's stored content with its build time. The time is kept in the row, not the
 * content, so two builds of the same answers store the same bytes.
 */
export function storedLearning(report: { content: unknown; builtAt: Date | null }): LearningReportContent {
  const content = report.content as LearningReportContent;
  return { ...content, builtAt: content.builtAt ?? report.builtAt?.toISOString() ?? '' };
}
