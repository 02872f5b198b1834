import { inEachLanguage } from '@luotsi/texts';

/** The unsubscribe pages in the participant's language (catalogue `participant:unsubscribe`). */
export const UNSUBSCRIBE_TEXTS = inEachLanguage((t) => ({
  title: t('participant:unsubscribe.title'),
  confirm: (organization: string | null) =>
    organization
      ? t('participant:unsubscribe.confirmFor', { organization })
      : t('participant:unsubscribe.confirm'),
  button: t('participant:unsubscribe.button'),
  done: t('participant:unsubscribe.done'),
  doneBody: t('participant:unsubscribe.doneBody'),
}));
