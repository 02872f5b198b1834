import type { Level } from '@luotsi/database';
import type { LearningReportContent, Suppressed } from '../report-content';
import { DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_SIZE_FLOOR } from '../../surveys/retrospective-runs';

export const FEWER_THAN_K = 'fewer than k responses';

/** A group too small to show: its level, and nothing else. */
export const suppressed = (level: Level): { level: Level } & Suppressed => ({
  level,
  suppressed: true,
  reason: FEWER_THAN_K,
});

/**
 * A learning report as a sponsor may read it, in any format: free text only from a language group of
 * at least k responses (no theme, no quote otherwise), and no per-person check-in rhythm (sponsors see
 * no personal data). Breakdowns under k are suppressed already when the report is built; they are
 * checked again here, so a sponsor's view never depends on that alone.
 */
export function sponsorView(content: LearningReportContent): LearningReportContent {
  const k = Math.max(MIN_GROUP_SIZE_FLOOR, content.retrospective?.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE);
  const small = (entry: { level: Level; suppressed?: true; responses?: number; count?: number }) =>
    entry.suppressed === true || (entry.responses ?? entry.count ?? 0) < k;
  return {
    ...content,
    response: {
      ...content.response,
      byLevel: content.response.byLevel.map((entry) => (small(entry) ? suppressed(entry.level) : entry)),
    },
    questions: content.questions.map((question) => ({
      ...question,
      byLevel: question.byLevel.map((entry) => (small(entry) ? suppressed(entry.level) : entry)),
    })),
    // A language group under k goes entirely: its terms and every quote.
    themes: content.themes.filter((theme) => !theme.suppressed && theme.responses >= k),
    practice: { ...content.practice, rhythm: { ...content.practice.rhythm, people: [] } },
  };
}
