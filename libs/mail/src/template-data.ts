/**
 * The data each template is rendered with, as nested objects. Names match the template variables
 * (`{{recipient.firstName}}`, `{{quarter.endsOn}}`), so the catalogue and these types describe one thing.
 */
export type Anonymity = 'anonymous' | 'confidential' | 'named';

export interface RecipientData {
  name: string;
  firstName: string;
}

export interface QuarterData {
  /** e.g. `2027-Q1`. */
  label: string;
  /** The n-th quarter of the pilot, from 1. */
  number: number;
  /** The week of the quarter, from 1. */
  week: number;
  weeksLeft: number;
  /** The quarter's last day, an ISO date (`2027-03-31`), formatted per locale by the `date` helper. */
  endsOn: string;
}

/** What every message to a participant carries: who, which pilot and quarter, and the way out. */
export interface ParticipantMailData {
  recipient: RecipientData;
  organization: { name: string };
  pilot: { name: string; waveNumber: number };
  quarter: QuarterData;
  /** Absent when the pilot has no coach assigned. */
  coach?: { name: string };
  links: { unsubscribe: string };
}

export interface KickoffData extends ParticipantMailData {
  /**
   * In the first quarter of a pilot created as a rollout's next wave: the lessons the coach marked for
   * it on the wave before; absent otherwise.
   */
  lessons?: string[];
  /** `okrs`: the participant's link to the quarter's OKRs as the planning dialogue settled them, when it has any. */
  links: { unsubscribe: string; okrs?: string };
}

export interface PlanningOpenData extends ParticipantMailData {
  /** The participant's own link to the drafts of the quarter being planned. */
  links: { unsubscribe: string; action: string };
  /** The quarter being planned (the next one), and the day the dialogue closes (the day before it starts). */
  planning: { quarterLabel: string; closesOn: string };
}

/** The day of a planning digest: what was written on the drafts that day (the organization's day). */
export interface PlanningDigestDay {
  /** The quarter being planned; the day (`YYYY-MM-DD`) the digest is of; the day the dialogue closes. */
  planning: { quarterLabel: string; day: string; closesOn: string };
  /** One line per entry, oldest first, in the recipient's language; how many; (coach) how many wrote. */
  digest: { items: string[]; count: number; people?: number };
}

export interface PlanningDigestData extends ParticipantMailData, PlanningDigestDay {
  /** The participant's own link to the drafts. */
  links: { unsubscribe: string; action: string };
}

export interface PlanningDigestCoachData extends PlanningDigestDay {
  recipient: RecipientData;
  organization: { name: string };
  pilot: { name: string; waveNumber: number };
  quarter: Pick<QuarterData, 'label' | 'number'>;
  /** The console's planning page of the pilot's quarter. */
  links: { action: string };
}

export interface CheckinRequestData extends ParticipantMailData {
  /** The single-use check-in link; without it the message asks for the check-in in the team's meeting. */
  links: { unsubscribe: string; action?: string };
  /** In the quarter's last weeks the check-in form also asks for final scores. */
  checkIn: { scoring: boolean };
}

export interface RetrospectiveMailData extends ParticipantMailData {
  links: { unsubscribe: string; action: string };
  retrospective: { anonymity: Anonymity };
  /** The first question with one-tap answers that open the form pre-filled. */
  firstQuestion?: { text: string; answers: { label: string; url: string }[] };
}

export interface ReportReadyData {
  recipient: RecipientData;
  organization: { name: string };
  pilot: { name: string; waveNumber: number };
  quarter: Pick<QuarterData, 'label' | 'number'>;
  /** `action`: the report's share link; `console`: where a sponsor with an account records the decision. */
  links: { action: string; console?: string };
  /**
   * `readiness`: a rollout's readiness report for its sponsors, rather than a pilot's learning report;
   * `account`: the reader can sign in to the console (a sponsor who never accepted an invitation cannot).
   */
  report: { readiness: boolean; account?: boolean };
}

export interface MemberInvitationData {
  recipient: RecipientData;
  inviter: { name: string };
  workspace: { name: string };
  /** `owner`, `coach` or `sponsor`. */
  role: string;
  links: { action: string };
}

export interface ReviewReminderData {
  recipient: RecipientData;
  organization: { name: string };
  pilot: { name: string; waveNumber: number };
  quarter: Pick<QuarterData, 'label' | 'number' | 'endsOn'>;
  /** None yet: the mail names the pilot, which the coach opens in the console. */
  links: Record<string, never>;
}

/** To the owner who signed up: confirm the address (and sign in). */
export interface AccountConfirmationData {
  recipient: RecipientData;
  workspace: { name: string };
  links: { action: string };
}

/** To an existing account whose address someone signed up with again. */
export interface AccountNoticeData {
  recipient: RecipientData;
  links: { signIn: string; reset: string };
}

/** To a member who asked for a new password. */
export interface PasswordResetData {
  recipient: RecipientData;
  links: { action: string };
}

export interface TemplateDataMap {
  'prompt-kickoff': KickoffData;
  'prompt-midquarter': ParticipantMailData;
  'checkin-request': CheckinRequestData;
  'retrospective-invitation': RetrospectiveMailData;
  'retrospective-reminder': RetrospectiveMailData;
  'retrospective-closed': ParticipantMailData;
  'report-ready': ReportReadyData;
  'member-invitation': MemberInvitationData;
  'review-reminder': ReviewReminderData;
  'planning-open': PlanningOpenData;
  'planning-digest': PlanningDigestData;
  'planning-digest-coach': PlanningDigestCoachData;
  'account-confirmation': AccountConfirmationData;
  'account-notice': AccountNoticeData;
  'password-reset': PasswordResetData;
}
