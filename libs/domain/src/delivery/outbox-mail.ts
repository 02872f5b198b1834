import type { Level, Locale, MailKind, OutboxMessage, QuietPeriod, ReportKind } from '@luotsi/database';

/**
 * Who a fan-out mails, as the caller knows them; the outbox turns it into one statement, one row per
 * recipient.
 */
export type MailRecipients =
  /**
   * The participants of the mail's pilot; `owners`: only those who own a key result of the mail's
   * quarter, directly or through its objective; `not_checked_in`: only those who recorded no check-in
   * in the quarter; `not_answered`: only those invited to the quarter's retrospective who have not
   * answered it. `level`: of those, only the participants of this level. Someone unsubscribed gets a
   * `suppressed` row.
   */
  | { participants: 'all' | 'owners' | 'not_checked_in' | 'not_answered'; level?: Level }
  /**
   * The people invited to a retrospective run who have not unsubscribed; `unanswered`: only those who
   * have not answered; `only`: of those, just these participants.
   */
  | { invitationsOf: string; unanswered: boolean; only?: string[] }
  /**
   * These participants, those of them still in the mail's pilot who have not unsubscribed (no row for the
   * others: e.g. the planning digest, which nobody who unsubscribed is written).
   */
  | { participantsIn: string[] }
  /** These members of the workspace (a pilot's coach). */
  | { members: string[] }
  /** The sponsors granted an organization. */
  | { sponsorsOf: string };

/**
 * When a mail is due: at an instant (now), or on a day at a local time in each recipient's own time
 * zone; members, who have none, in `zone` (the organization's).
 */
export type MailDue = { at: Date } | { day: string; time: string; zone: string };

/**
 * What a mail is of, which names it: a step of its quarter (or mail that stands for one, such as the
 * planning digest of a day, `planning-digest.{YYYY-MM-DD}`), or a report.
 */
export type MailOrigin = { stepKey: string } | { report: ReportKind; reportId: string };

/** The mail of one fan-out, the same for each recipient. */
export interface OutboxMail {
  workspaceId: string;
  quarterId: string;
  pilotId: string;
  kind: MailKind;
  template: string;
  origin: MailOrigin;
  due: MailDue;
}

/**
 * The natural key of a mail is its stem and its recipient, `{stem}.p{participant}` or
 * `{stem}.m{member}`: `{quarter}.{step}` for a step's mail, `report.{kind}.{report}` for a report's. So a
 * step dispatched twice, or a report built again, mails nobody twice.
 */
export const keyStem = ({ quarterId, origin }: Pick<OutboxMail, 'quarterId' | 'origin'>): string =>
  'stepKey' in origin ? `${quarterId}.${origin.stepKey}` : `report.${origin.report}.${origin.reportId}`;

const REPORT_KEY = /^report\.(learning|readiness)\.([0-9a-f-]{36})\.m([0-9a-f-]{36})$/;

/** The report and reader a report mail's key names; null for any other key. */
export function reportOfKey(key: string): { kind: ReportKind; reportId: string; memberId: string } | null {
  const match = REPORT_KEY.exec(key);
  return match ? { kind: match[1] as ReportKind, reportId: match[2], memberId: match[3] } : null;
}

/**
 * The end of a participant's mail key, as a regular expression. Once the person is erased their rows
 * have no participant but the key (and the send jobs Redis keeps under it) still carry the id, until
 * it is cleared.
 */
export const PARTICIPANT_KEY = '\\.p[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** A row waiting on a send job: the job's id is made of its key and generation. */
export interface QueuedMail {
  id: string;
  key: string;
  generation: number;
}

/** Everything a send reads in its first statement: the row, its recipient, the quarter's facts, any override. */
export interface ClaimRead extends Omit<OutboxMessage, 'workspace' | 'quarter' | 'participant' | 'member'> {
  recipientFound: boolean | null;
  email: string;
  name: string;
  locale: Locale;
  timeZone: string;
  unsubscribedAt: Date | null;
  /** The participant's bounce mark (null for a member, whose bounces are recorded on the message only). */
  recipientBouncedAt: Date | null;
  recipientBounceReason: string | null;
  factsFound: boolean | null;
  organizationName: string;
  pilotName: string;
  waveNumber: number;
  label: string;
  number: number;
  endsOn: string;
  coachName: string | null;
  weeklyEmailCap: number;
  quietHoursStart: string;
  quietHoursEnd: string;
  /** The organization's quiet periods, and its zone they are read in. */
  quietPeriods: QuietPeriod[];
  organizationTimeZone: string;
  /** Days from the quarter's first day to the due day, both in the recipient's time zone. */
  dayOfQuarter: number;
  /** Days from the due day to the quarter's last day. */
  daysLeft: number;
  overrideSubject: string | null;
  overrideBody: string | null;
  /** The workspace's own daily send quota; null, the installation's default applies. */
  dailySendLimit: number | null;
}

/** What a send may change on its row. */
export type OutboxPatch = Partial<
  Pick<
    OutboxMessage,
    | 'status'
    | 'claimedAt'
    | 'attempts'
    | 'deferredUntil'
    | 'deferredReason'
    | 'lastError'
    | 'messageId'
    | 'sentAt'
  >
>;

export interface SendLatency {
  count: number;
  sum: number;
  /** Per bucket bound in seconds (ascending), how many took at most that long. */
  buckets: { le: number; n: number }[];
}

export interface FailedMail {
  id: string;
  stepKey: string | null;
  participantId: string | null;
  memberId: string | null;
  email: string | null;
  attempts: number;
  lastError: string | null;
  updatedAt: Date;
}

/**
 * A quarter's mail that bounced (`bounced`: the message came back; its reason the status and the
 * server's words), or that was not sent because its recipient's mail had bounced before (`suppressed`).
 */
export interface BouncedMail {
  kind: 'bounced' | 'suppressed';
  id: string;
  stepKey: string | null;
  participantId: string | null;
  memberId: string | null;
  email: string | null;
  reason: string | null;
  at: Date;
}
