import type { ShareAudience } from '@luotsi/database';
import { effectiveK, publishLearning, publishReadiness } from '../publication/publication-policy';
import type { LearningReportContent, ReadinessReportContent } from '../report-content';

/** The run's k, for the formats' "not shown: fewer than k" notes. */
export function minGroupSize(content: LearningReportContent): number {
  return effectiveK(content.retrospective?.minGroupSize);
}

/**
 * A learning report as its audience may see it; every format renders from this, never from the stored
 * content. The publication policy decides; see `publication-policy.ts`.
 */
export function learningView(
  content: LearningReportContent,
  audience: ShareAudience,
  channel: 'account' | 'link' = 'account',
): LearningReportContent {
  return publishLearning(content, audience, channel);
}

/** A readiness report as both audiences see it. */
export function readinessView(content: ReadinessReportContent): ReadinessReportContent {
  return publishReadiness(content);
}
