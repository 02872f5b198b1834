import type { AnonymityMode, Locale } from '@luotsi/database';

// What answers.store.ts takes and gives for a participant's form and answer.

/** An invitation found by its token, with what its form shows. */
export interface InvitationRow {
  invitation_id: string;
  used: boolean;
  expires_at: Date;
  participant_id: string;
  retrospective_id: string;
  workspace_id: string;
  state: string;
  anonymity: AnonymityMode;
  min_group_size: number;
  closes_at: Date;
  /** The person's language now, in which the form is shown; the answer keeps the invitation's. */
  locale: Locale;
  time_zone: string;
  organization_name: string;
  pilot_name: string;
  quarter_label: string;
}

/** An answer to store through its invitation, in the one statement of its run's mode. */
export interface AnswerPost {
  invitationId: string;
  now: Date;
  workspaceId: string;
  retrospectiveId: string;
  answers: Record<string, unknown>;
  /** Anonymous runs count the waiting answers up to k; the others store the day in the person's zone. */
  minGroupSize: number;
  participantId: string;
  timeZone: string;
}

/** What the post did: whether the link was live, whether this post stored the answer, how many wait. */
export interface AnswerOutcome {
  live: number;
  saved: number;
  waiting?: number;
}
