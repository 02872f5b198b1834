import type {
  AnonymityMode,
  Audience,
  Level,
  Locale,
  StepAnchor,
  StepKind,
  StepText,
} from '@luotsi/database';

/** The retrospective a `retrospective_open` step opens; without one, the built-in set, anonymous, k = 5. */
export interface RetrospectiveChoice {
  /** `builtin:end-of-quarter` or the id of one of the workspace's question sets. */
  questionSetId: string;
  anonymity: AnonymityMode;
  /** k: no figure is published for fewer answers (never below 3). */
  minGroupSize: number;
}

/** A step's own text in some languages; the others use the step's template. */
export type StepTexts = Partial<Record<Locale, StepText>>;

export interface CadenceStepPlan {
  key: string;
  kind: StepKind;
  anchor: StepAnchor;
  offsetDays: number;
  sendTime: string;
  template: string;
  audience: Audience;
  /** The level of the audience `level`. */
  audienceLevel?: Level | null;
  texts?: StepTexts | null;
  retrospective?: RetrospectiveChoice | null;
}

const weekly = (week: number): CadenceStepPlan => ({
  key: `checkin-w${week}`,
  kind: 'checkin_request',
  anchor: 'start',
  offsetDays: (week - 1) * 7,
  sendTime: '09:00',
  template: 'checkin-request',
  audience: 'participants',
});

/**
 * A typical quarter: kickoff in week 1, weekly check-in requests, a mid-quarter prompt in week 6, the
 * retrospective two weeks before the end with reminders on its day 3 and day 5, close at the end, and
 * the learning report the day after; and in its last two weeks, the planning dialogue on the next
 * quarter's draft OKRs (sent only when the next quarter has drafts). Coaches change all of it per rollout.
 */
export const DEFAULT_CADENCE: readonly CadenceStepPlan[] = [
  {
    key: 'kickoff',
    kind: 'prompt',
    anchor: 'start',
    offsetDays: 0,
    sendTime: '09:00',
    template: 'prompt-kickoff',
    audience: 'participants',
  },
  ...[2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(weekly),
  {
    key: 'midquarter',
    kind: 'prompt',
    anchor: 'start',
    offsetDays: 37,
    sendTime: '10:00',
    template: 'prompt-midquarter',
    audience: 'participants',
  },
  {
    key: 'retrospective-open',
    kind: 'retrospective_open',
    anchor: 'end',
    offsetDays: -14,
    sendTime: '09:00',
    template: 'retrospective-invitation',
    audience: 'participants',
  },
  {
    // The next quarter starts the day after this one ends: its planning opens two weeks before that.
    key: 'planning-open',
    kind: 'planning_open',
    anchor: 'end',
    offsetDays: -13,
    sendTime: '10:00',
    template: 'planning-open',
    audience: 'participants',
  },
  {
    key: 'retrospective-reminder-1',
    kind: 'retrospective_reminder',
    anchor: 'end',
    offsetDays: -11,
    sendTime: '09:00',
    template: 'retrospective-reminder',
    audience: 'participants',
  },
  {
    key: 'retrospective-reminder-2',
    kind: 'retrospective_reminder',
    anchor: 'end',
    offsetDays: -9,
    sendTime: '09:00',
    template: 'retrospective-reminder',
    audience: 'participants',
  },
  {
    key: 'retrospective-close',
    kind: 'retrospective_close',
    anchor: 'end',
    offsetDays: 0,
    sendTime: '18:00',
    template: 'retrospective-closed',
    audience: 'participants',
  },
  {
    key: 'learning-report',
    kind: 'report',
    anchor: 'end',
    offsetDays: 1,
    sendTime: '08:00',
    template: 'report-ready',
    audience: 'coach',
  },
];
