import type { HintCode } from '@luotsi/domain';
import { inEachLanguage } from '@luotsi/texts';
import type { RefusalTexts } from './error-page';

const words = (t: (key: string) => string, key: string) => ({
  title: t(`participant:planning.refusals.${key}.title`),
  body: t(`participant:planning.refusals.${key}.body`),
});

/** The planning page's own words (catalogue `participant:planning`); drafts and comments come as written. */
export const PLANNING_TEXTS = inEachLanguage((t) => ({
  language: t('participant:planning.language'),
  otherLanguages: t('participant:planning.otherLanguages'),
  title: t('participant:planning.title'),
  intro: (pilot: string, quarter: string, closes: string) =>
    t('participant:planning.intro', { pilot, quarter, closes }),
  finalIntro: (pilot: string, quarter: string) => t('participant:planning.finalIntro', { pilot, quarter }),
  dialogue: (name: string) => t('participant:planning.dialogue', { name }),
  closedNote: t('participant:planning.closedNote'),
  saved: t('participant:planning.saved'),
  empty: t('participant:planning.empty'),
  checklistTitle: t('participant:planning.checklistTitle'),
  checklist: [
    t('participant:planning.checkOutcome'),
    t('participant:planning.checkMeasurable'),
    t('participant:planning.checkCount'),
    t('participant:planning.checkLabel'),
  ],
  hintsTitle: t('participant:planning.hintsTitle'),
  hint: (code: HintCode) => t(`participant:planning.hints.${code}`),
  objective: t('participant:planning.objective'),
  keyResult: t('participant:planning.keyResult'),
  kind: (kind: 'committed' | 'aspirational') => t(`participant:planning.kinds.${kind}`),
  owner: (name: string) => t('participant:planning.owner', { name }),
  noOwner: t('participant:planning.noOwner'),
  previously: (title: string) => t('participant:planning.previously', { title }),
  said: (kind: 'comment' | 'rewording' | 'volunteer', name: string, title: string) =>
    t(`participant:planning.said.${kind}`, { name, title }),
  you: t('participant:planning.you'),
  status: (status: 'resolved' | 'accepted') => t(`participant:planning.status.${status}`),
  formLegend: (title: string) => t('participant:planning.formLegend', { title }),
  action: t('participant:planning.action'),
  actions: {
    comment: t('participant:planning.actions.comment'),
    rewording: t('participant:planning.actions.rewording'),
    volunteer: t('participant:planning.actions.volunteer'),
  },
  proposedTitle: t('participant:planning.proposedTitle'),
  proposedTitleHint: t('participant:planning.proposedTitleHint'),
  body: t('participant:planning.body'),
  bodyHint: t('participant:planning.bodyHint'),
  submit: t('participant:planning.submit'),
  edit: t('participant:planning.edit'),
  save: t('participant:planning.save'),
  errorTitle: t('participant:planning.errorTitle'),
  kr: {
    ownerNote: t('participant:planning.keyResultForm.ownerNote'),
    add: t('participant:planning.keyResultForm.add'),
    edit: t('participant:planning.keyResultForm.edit'),
    addButton: t('participant:planning.keyResultForm.addButton'),
    saveButton: t('participant:planning.keyResultForm.saveButton'),
    title: t('participant:planning.keyResultForm.title'),
    titleHint: t('participant:planning.keyResultForm.titleHint'),
    kind: t('participant:planning.keyResultForm.kind'),
    measure: t('participant:planning.keyResultForm.measure'),
    measures: {
      metric: t('participant:planning.keyResultForm.measures.metric'),
      milestone: t('participant:planning.keyResultForm.measures.milestone'),
      binary: t('participant:planning.keyResultForm.measures.binary'),
    },
    start: t('participant:planning.keyResultForm.start'),
    target: t('participant:planning.keyResultForm.target'),
    unit: t('participant:planning.keyResultForm.unit'),
    numbersHint: t('participant:planning.keyResultForm.numbersHint'),
    errors: {
      title: t('participant:planning.keyResultForm.errors.title'),
      choice: t('participant:planning.keyResultForm.errors.choice'),
      numbers: t('participant:planning.keyResultForm.errors.numbers'),
      unit: t('participant:planning.keyResultForm.errors.unit'),
      notOwner: t('participant:planning.keyResultForm.errors.notOwner'),
    },
  },
  errors: {
    bodyRequired: t('participant:planning.errors.bodyRequired'),
    bodyTooLong: (max: number) => t('participant:planning.errors.bodyTooLong', { max }),
    titleRequired: t('participant:planning.errors.titleRequired'),
    titleTooLong: t('participant:planning.errors.titleTooLong'),
    action: t('participant:planning.errors.action'),
    target: t('participant:planning.errors.target'),
    entry: t('participant:planning.errors.entry'),
    invalidChar: t('participant:planning.errors.invalidChar'),
  },
}));

/** How a planning link is refused: once the quarter has started (for a post), and after it expired. */
export const PLANNING_REFUSALS = inEachLanguage((t): RefusalTexts => ({
  closed: words(t, 'closed'),
  expired: words(t, 'expired'),
}));
