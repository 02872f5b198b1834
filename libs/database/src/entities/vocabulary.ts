/** The closed sets of the domain, shared by entities, DTOs and validation. */
export const MEMBER_ROLES = ['owner', 'coach', 'sponsor'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const SECTORS = ['company', 'public', 'nonprofit'] as const;
export type Sector = (typeof SECTORS)[number];

export const LOCALES = ['fi', 'sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const LEVELS = ['board', 'management', 'staff', 'volunteers'] as const;
export type Level = (typeof LEVELS)[number];

/** `scaling`: widening to the next waves (a `go` decision); `closed`: stopped (a `stop` decision), it takes no more pilots. */
export const ROLLOUT_STATUSES = ['planning', 'piloting', 'scaling', 'complete', 'closed'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

export const PILOT_STATES = ['planned', 'running', 'in_review', 'graduated', 'extended', 'stopped'] as const;
export type PilotState = (typeof PILOT_STATES)[number];

export const QUARTER_STATES = ['upcoming', 'active', 'closed'] as const;
export type QuarterState = (typeof QUARTER_STATES)[number];

/**
 * A period of every year in which an organization gets no cadence mail (e.g. the July holiday): from
 * `start` to `end`, both `MM-DD` and inclusive; a period may run over the new year (`12-24` to `01-06`).
 */
export interface QuietPeriod {
  start: string;
  end: string;
  label?: string;
}

export const STEP_KINDS = [
  'prompt',
  'checkin_request',
  'retrospective_open',
  'retrospective_reminder',
  'retrospective_close',
  'report',
  'planning_open',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/**
 * What an outbox mail is of: a cadence step's kind, or mail no step sends (`planning_digest`: the daily
 * digest of the planning dialogue, queued by the scheduler's beat).
 */
export const MAIL_KINDS = [...STEP_KINDS, 'planning_digest'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const STEP_ANCHORS = ['start', 'end'] as const;
export type StepAnchor = (typeof STEP_ANCHORS)[number];

/**
 * `participants`: everyone in the pilot; `owners`: the participants who own a key result of the quarter
 * (e.g. check-in requests in a large pilot); `level`: the participants of one level (the step's
 * `audienceLevel`); `non_responders`: the participants who have not responded yet — no check-in in the
 * quarter (prompts, check-in requests), or no answer to the quarter's retrospective (its close).
 */
export const AUDIENCES = ['participants', 'owners', 'level', 'non_responders', 'coach', 'sponsors'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const OUTBOX_STATUSES = ['pending', 'queued', 'sent', 'deferred', 'failed', 'suppressed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const ANONYMITY_MODES = ['anonymous', 'confidential', 'named'] as const;
export type AnonymityMode = (typeof ANONYMITY_MODES)[number];

export const RETROSPECTIVE_STATES = ['open', 'closed'] as const;
export type RetrospectiveState = (typeof RETROSPECTIVE_STATES)[number];

export const KEY_RESULT_KINDS = ['committed', 'aspirational'] as const;
export type KeyResultKind = (typeof KEY_RESULT_KINDS)[number];

export const KEY_RESULT_MEASURES = ['metric', 'milestone', 'binary'] as const;
export type KeyResultMeasure = (typeof KEY_RESULT_MEASURES)[number];

export const REPORT_STATUSES = ['queued', 'building', 'ready', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_KINDS = ['learning', 'readiness'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Who a shared report is for: the coach sees everything; sponsors never see free text under k. */
export const SHARE_AUDIENCES = ['coach', 'sponsor'] as const;
export type ShareAudience = (typeof SHARE_AUDIENCES)[number];

export const READINESS_VERDICTS = ['ready', 'ready_with_conditions', 'not_ready'] as const;
export type ReadinessVerdict = (typeof READINESS_VERDICTS)[number];

export const ROLLOUT_DECISIONS = ['go', 'extend', 'adjust', 'stop'] as const;
export type RolloutDecisionKind = (typeof ROLLOUT_DECISIONS)[number];

/**
 * What a participant says about a draft objective or key result in the planning dialogue: a comment, a
 * proposed rewording (with the proposed title), or "I can own this".
 */
export const PLANNING_ENTRY_KINDS = ['comment', 'rewording', 'volunteer'] as const;
export type PlanningEntryKind = (typeof PLANNING_ENTRY_KINDS)[number];

/** `open` until the coach closes it: `resolved` (read and settled), or `accepted` (the rewording or the owner taken). */
export const PLANNING_ENTRY_STATUSES = ['open', 'resolved', 'accepted'] as const;
export type PlanningEntryStatus = (typeof PLANNING_ENTRY_STATUSES)[number];
