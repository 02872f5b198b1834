import type { AnonymityMode, Level, ShareAudience } from '@luotsi/database';
import type {
  DialogueSummary,
  LearningReportContent,
  QuestionSummary,
  QuestionThemes,
  Suppressed,
  Theme,
} from '../report-content';
import { DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_SIZE_FLOOR } from '../../surveys';

/**
 * The publication policy: the one rule that decides which figures derived from retrospective answers
 * a reader may see. Every format (JSON, HTML, CSV, PDF, share links) and every audience goes through
 * `publishLearning`; the builder applies it before a report is stored, and every read applies it again,
 * so no stored report and no format can show more than this allows.
 *
 * 1. k: no figure is published for fewer than k answers (the run's `minGroupSize`, default 5, never
 *    below 3).
 * 2. Nothing can be subtracted: when a breakdown hides a group, the hidden groups together must hold at
 *    least k answers, or their sum could be recovered as "total minus the shown groups"; so the next
 *    smallest shown group is hidden too, until they do.
 * 3. Means are published to one decimal, which is all a reader needs.
 * 4. Nothing before close: answers of `anonymous` and `confidential` runs are published only once the
 *    run has closed; until then a report shows how many were invited and how many answered, nothing else.
 * 5. Per-person data (check-in rhythm per person) is for the coach only.
 */

export const FEWER_THAN_K = 'fewer than k responses';
export const UNTIL_CLOSE = 'shown once the retrospective closes';

/** The run's k, never below the floor. */
export const effectiveK = (minGroupSize: number | null | undefined): number =>
  Math.max(MIN_GROUP_SIZE_FLOOR, minGroupSize ?? DEFAULT_MIN_GROUP_SIZE);

/** A learning report's k, for the formats' "not shown: fewer than k" notes. */
export const kOfReport = (content: LearningReportContent): number =>
  effectiveK(content.retrospective?.minGroupSize);

/** Whether a run's answers may appear in a report yet: named runs at once, the others after close. */
export const answersPublishable = (run: { anonymity: AnonymityMode; state: string } | null): boolean =>
  run !== null && (run.anonymity === 'named' || run.state === 'closed');

/** A run as the policy needs to know it: its mode, its state and its k. */
export interface PublishableRun {
  anonymity: AnonymityMode;
  state: string;
  minGroupSize: number | null;
}

/** Whether a figure from `n` answers of `run` may be published (for runs a report does not carry whole). */
export const runPublishable = (run: PublishableRun, n: number): boolean =>
  answersPublishable(run) && n >= effectiveK(run.minGroupSize);

/** A published mean: one decimal, half away from zero. Idempotent. */
export const publishedMean = (mean: number | null | undefined): number | null =>
  mean === null || mean === undefined ? null : Math.sign(mean) * (Math.round(Math.abs(mean) * 10) / 10);

/** A group of a breakdown: its key and how many answers it holds (null when already hidden). */
export interface GroupSize<K> {
  key: K;
  n: number | null;
}

/**
 * Which groups of a breakdown may be shown, given the total they add up to (`total` answers, shown).
 * A group under k is hidden; then, while the hidden groups hold between 1 and k − 1 answers together
 * (which "total minus the shown groups" would reveal), the smallest shown group is hidden too.
 * A group hidden before (n null) stays hidden; the hidden total is always recomputed from the total and
 * the shown groups, exactly as a reader with a calculator would.
 */
export function publishableGroups<K>(groups: GroupSize<K>[], total: number, k: number): Set<K> {
  const shown = groups.filter((g): g is { key: K; n: number } => g.n !== null && g.n >= k);
  const hiddenCount = () => groups.length - shown.length;
  const hiddenAnswers = () => total - shown.reduce((sum, g) => sum + g.n, 0);
  while (shown.length && hiddenCount() > 0 && hiddenAnswers() > 0 && hiddenAnswers() < k) {
    let smallest = 0;
    shown.forEach((g, i) => {
      if (g.n < shown[smallest].n) smallest = i;
    });
    shown.splice(smallest, 1);
  }
  return new Set(shown.map((g) => g.key));
}

const hidden = (reason: string): Suppressed => ({ suppressed: true, reason });
const hiddenLevel = (level: Level, reason: string): { level: Level } & Suppressed => ({
  level,
  ...hidden(reason),
});
const isSuppressed = (entry: object): entry is Suppressed =>
  (entry as Partial<Suppressed>).suppressed === true;

type LevelResponseEntry = LearningReportContent['response']['byLevel'][number];
type QuestionLevelEntry = QuestionSummary['byLevel'][number];

/** The response section: totals always; by level only where rules 1, 2 and 4 allow. */
function publishResponse(
  response: LearningReportContent['response'],
  k: number,
  open: boolean,
): LearningReportContent['response'] {
  if (open) return { ...response, byLevel: response.byLevel.map((l) => hiddenLevel(l.level, UNTIL_CLOSE)) };
  const shown = publishableGroups(
    response.byLevel.map((l) => ({ key: l.level, n: isSuppressed(l) ? null : l.count })),
    response.count,
    k,
  );
  return {
    ...response,
    byLevel: response.byLevel.map(
      (l): LevelResponseEntry => (!isSuppressed(l) && shown.has(l.level) ? l : hiddenLevel(l.level, FEWER_THAN_K)),
    ),
  };
}

/** One question: nothing under k; levels by rule 2 against the question's own total; means rounded. */
function publishQuestion(question: QuestionSummary, k: number, quarterId: string): QuestionSummary {
  const withheld = question.responses < k || isSuppressed(question);
  // Trend points are separate runs, each its own group: a point under k is left out, and so is this
  // quarter's when the question is withheld.
  const trend = question.trend
    .filter((point) => point.responses >= k && !(withheld && point.quarterId === quarterId))
    .map((point) => ({ ...point, mean: publishedMean(point.mean) }));
  if (withheld)
    return {
      ...question,
      distribution: [],
      mean: null,
      median: null,
      trend,
      byLevel: question.byLevel.map((l) => hiddenLevel(l.level, FEWER_THAN_K)),
      suppressed: true,
      reason: FEWER_THAN_K,
    };
  const shown = publishableGroups(
    question.byLevel.map((l) => ({ key: l.level, n: isSuppressed(l) ? null : l.responses })),
    question.responses,
    k,
  );
  return {
    ...question,
    mean: publishedMean(question.mean),
    trend,
    byLevel: question.byLevel.map(
      (l): QuestionLevelEntry =>
        !isSuppressed(l) && shown.has(l.level)
          ? { level: l.level, responses: l.responses, mean: publishedMean(l.mean) }
          : hiddenLevel(l.level, FEWER_THAN_K),
    ),
  };
}

/** A language's themes with nothing to show: no terms, no quotes, no count. */
export const hiddenTheme = (locale: Theme['locale']): Theme => ({
  locale,
  responses: 0,
  terms: [],
  phrases: [],
  quotes: [],
  suppressed: true,
});

/**
 * A free-text question's themes: nothing for fewer than k answers; each language by rules 1 and 2
 * against the question's own count (already published with the question), so a hidden language's
 * count cannot be worked out as the question's answers minus the languages shown.
 */
function publishQuestionThemes(question: QuestionThemes, k: number): QuestionThemes {
  const shown =
    question.suppressed || question.responses < k
      ? new Set<Theme['locale']>()
      : publishableGroups(
          question.languages.map((l) => ({ key: l.locale, n: l.suppressed ? null : l.responses })),
          question.responses,
          k,
        );
  const languages = question.languages.map((l) => (!l.suppressed && shown.has(l.locale) ? l : hiddenTheme(l.locale)));
  const suppressed = !languages.some((l) => !l.suppressed);
  return { ...question, responses: suppressed ? 0 : question.responses, languages, suppressed };
}

/**
 * A learning report as `audience` may read it. The same function serves the builder (audience
 * `coach`, before storing) and every read; applying it twice changes nothing.
 */
/** Why the dialogue comparison is withheld. */
export const DIALOGUE_FEWER_THAN_K = 'fewer than k key results in a compared group';

/**
 * The planning dialogue's section: its counts are of entries people signed with their names, and shown;
 * the comparison of discussed and not discussed key results only when each group holds at least k key
 * results, so no group's scores or check-ins stand for a few people's.
 */
export function publishDialogue(dialogue: DialogueSummary | null, k: number): DialogueSummary | null {
  if (!dialogue || dialogue.comparison.withheld) return dialogue;
  const { discussed, notDiscussed } = dialogue.comparison;
  if (discussed.keyResults >= k && notDiscussed.keyResults >= k)
    return { ...dialogue, comparison: { ...dialogue.comparison, k } };
  return { ...dialogue, comparison: { k, withheld: true, reason: DIALOGUE_FEWER_THAN_K } };
}

export function publishLearning(
  content: LearningReportContent,
  audience: ShareAudience,
  /** A share link opens without an account and may be forwarded: it carries no per-person data. */
  channel: 'account' | 'link' = 'account',
): LearningReportContent {
  const run = content.retrospective;
  const k = effectiveK(run?.minGroupSize);
  const open = run !== null && !answersPublishable(run);
  const published: LearningReportContent = {
    ...content,
    response: publishResponse(content.response, k, open),
    questions: open ? [] : content.questions.map((q) => publishQuestion(q, k, content.quarter.id)),
    nps: open || !content.nps || content.nps.responses < k ? null : content.nps,
    adkar: open
      ? []
      : content.adkar
          .filter((element) => element.responses >= k)
          .map((element) => ({ ...element, mean: publishedMean(element.mean) })),
    comparison: content.comparison.map((pilot) => ({
      ...pilot,
      // Each pilot's NPS is withheld by its own run's rules when the report is built; this report's
      // own row follows this run.
      nps: pilot.self && (open || content.nps === null || content.nps.responses < k) ? null : pilot.nps,
    })),
    // Before close nothing is read, so there are no themes to show (as there are no question figures).
    themes: open ? [] : content.themes.map((question) => publishQuestionThemes(question, k)),
    ...(content.dialogue !== undefined ? { dialogue: publishDialogue(content.dialogue, k) } : {}),
  };
  if (audience === 'coach' && channel === 'account') return published;
  // Per-person check-in rhythm is for the coach signed in; sponsors also get no theme-less question or
  // language.
  return {
    ...published,
    practice: { ...published.practice, rhythm: { ...published.practice.rhythm, people: [] } },
    themes:
      audience === 'sponsor'
        ? published.themes
            .filter((question) => !question.suppressed)
            .map((question) => ({ ...question, languages: question.languages.filter((l) => !l.suppressed) }))
        : published.themes,
  };
}
