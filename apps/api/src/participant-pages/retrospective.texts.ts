import type { AnonymityMode } from '@luotsi/database';
import { inEachLanguage } from '@luotsi/texts';
import type { RefusalTexts } from './error-page';

/** The retrospective pages' own words (catalogue `participant:retrospective`); questions come with the set. */
export const RETROSPECTIVE_TEXTS = inEachLanguage((t) => ({
  language: t('participant:retrospective.language'),
  title: t('participant:retrospective.title'),
  intro: (pilot: string, quarter: string) => t('participant:retrospective.intro', { pilot, quarter }),
  anonymity: {
    anonymous: t('participant:retrospective.anonymity.anonymous'),
    confidential: t('participant:retrospective.anonymity.confidential'),
    named: t('participant:retrospective.anonymity.named'),
  } satisfies Record<AnonymityMode, string>,
  required: t('participant:retrospective.required'),
  optional: t('participant:retrospective.optional'),
  submit: t('participant:retrospective.submit'),
  update: t('participant:retrospective.update'),
  errorTitle: t('participant:retrospective.errorTitle'),
  thanksTitle: t('participant:retrospective.thanksTitle'),
  thanksBody: t('participant:retrospective.thanksBody'),
  changeUntil: (date: string) => t('participant:retrospective.changeUntil', { date }),
  otherLanguages: t('participant:retrospective.otherLanguages'),
}));

/** How a retrospective link is refused: its anonymous answer is in, or its run closed or it expired. */
export const RETROSPECTIVE_REFUSALS = inEachLanguage((t): RefusalTexts => {
  const answered = {
    title: t('participant:retrospective.refusals.answered.title'),
    body: t('participant:retrospective.refusals.answered.body'),
  };
  return {
    used: answered,
    answered,
    gone: {
      title: t('participant:retrospective.refusals.gone.title'),
      body: t('participant:retrospective.refusals.gone.body'),
    },
  };
});
