import { inEachLanguage } from '@luotsi/texts';
import type { RefusalTexts } from './error-page';

const words = (t: (key: string) => string, key: string) => ({
  title: t(`participant:checkIn.refusals.${key}.title`),
  body: t(`participant:checkIn.refusals.${key}.body`),
});

/** The check-in pages' own words (catalogue `participant:checkIn`); key results come as the coach wrote them. */
export const CHECK_IN_TEXTS = inEachLanguage((t) => ({
  language: t('participant:checkIn.language'),
  otherLanguages: t('participant:checkIn.otherLanguages'),
  title: t('participant:checkIn.title'),
  intro: (pilot: string, quarter: string, week: number) =>
    t('participant:checkIn.intro', { pilot, quarter, week }),
  objective: t('participant:checkIn.objective'),
  progress: (percent: string) => t('participant:checkIn.progress', { percent }),
  now: (current: string, target: string) => t('participant:checkIn.now', { current, target }),
  notStarted: (start: string, target: string) => t('participant:checkIn.notStarted', { start, target }),
  currentValue: t('participant:checkIn.currentValue'),
  decimalHint: t('participant:checkIn.decimalHint'),
  done: t('participant:checkIn.done'),
  yes: t('participant:checkIn.yes'),
  no: t('participant:checkIn.no'),
  confidence: t('participant:checkIn.confidence'),
  confidenceHint: t('participant:checkIn.confidenceHint'),
  note: t('participant:checkIn.note'),
  scoringIntro: t('participant:checkIn.scoringIntro'),
  score: t('participant:checkIn.score'),
  scoreHint: (kind: 'committed' | 'aspirational') => t(`participant:checkIn.scoreHint.${kind}`),
  required: t('participant:checkIn.required'),
  optional: t('participant:checkIn.optional'),
  submit: t('participant:checkIn.submit'),
  errorTitle: t('participant:checkIn.errorTitle'),
  thanksTitle: t('participant:checkIn.thanksTitle'),
  thanksBody: t('participant:checkIn.thanksBody'),
}));

/** How a check-in link is refused: once used, and after its week (and the grace days). */
export const CHECK_IN_REFUSALS = inEachLanguage((t): RefusalTexts => ({
  used: words(t, 'used'),
  gone: words(t, 'gone'),
}));
