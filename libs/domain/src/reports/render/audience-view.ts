import type { ShareAudience } from '@luotsi/database';
import { DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_SIZE_FLOOR } from '../../surveys/retrospective-runs';
import { FEWER_THAN_K, sponsorView } from '../learning/sponsor-view';
import type {
  LearningReportContent,
  QuestionSummary,
  ReadinessReportContent,
  Suppressed,
} from '../report-content';

const SUPPRESSED: Suppressed = { suppressed: true, reason: FEWER_THAN_K };

/** The run's k: no group smaller than this is shown (never below the floor of 3). */
export function minGroupSize(content: LearningReportContent): number {
  return Math.max(MIN_GROUP_SIZE_FLOOR, content.retrospective?.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE);
}

const isSuppressed = (entry: object): entry is Suppressed =>
  (entry as Partial<Suppressed>).suppressed === true;

/**
 * A learning report as its audience may see it; every format renders from this, never from the stored
 * content. The builder already suppresses groups under k; the coach's view applies the rule again (no
 * breakdown, no quote of a group under k), so no format can show one even if a stored report slipped.
 * The sponsor's view is that, narrowed by `sponsorView`: no free text of a language group under k, no
 * per-person check-in rhythm.
 */
export function learningView(content: LearningReportContent, audience: ShareAudience): LearningReportContent {
  const k = minGroupSize(content);
  const coach: LearningReportContent = {
    ...content,
    response: {
      ...content.response,
      byLevel: content.response.byLevel.map((entry) =>
        isSuppressed(entry) || entry.count >= k ? entry : { level: entry.level, ...SUPPRESSED },
      ),
    },
    questions: content.questions.map(
      (question): QuestionSummary => ({
        ...question,
        byLevel: question.byLevel.map((entry) =>
          isSuppressed(entry) || entry.responses >= k ? entry : { level: entry.level, ...SUPPRESSED },
        ),
      }),
    ),
    themes: content.themes.map((theme) =>
      theme.suppressed || theme.responses < k ? { ...theme, quotes: [], suppressed: true } : theme,
    ),
  };
  return audience === 'sponsor' ? sponsorView(coach) : coach;
}

/** A readiness report has no free text and no groups of people below the pilot; both audiences see it all. */
export function readinessView(content: ReadinessReportContent): ReadinessReportContent {
  return content;
}
