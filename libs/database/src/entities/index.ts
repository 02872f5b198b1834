export * from './vocabulary';
export * from './workspace.entity';
export * from './workspace-owned';
export * from './built-report';
export * from './member.entity';
export * from './credential-token.entity';
export * from './sponsor-grant.entity';
export * from './organization.entity';
export * from './rollout.entity';
export * from './pilot.entity';
export * from './quarter.entity';
export * from './participant.entity';
export * from './pilot-membership.entity';
export * from './audit-event.entity';
export * from './heartbeat.entity';
export * from './cadence-step.entity';
export * from './cadence-dispatch.entity';
export * from './outbox-message.entity';
export * from './unsubscribe-token.entity';
export * from './message-template.entity';
export * from './captured-mail.entity';
export * from './dev-clock.entity';
export * from './question-set.entity';
export * from './retrospective.entity';
export * from './invitation.entity';
export * from './invitation-token.entity';
export * from './retrospective-response.entity';
export * from './pending-answer.entity';
export * from './objective.entity';
export * from './key-result.entity';
export * from './check-in-token.entity';
export * from './check-in.entity';
export * from './learning-report.entity';
export * from './learning-note.entity';
export * from './readiness-report.entity';
export * from './rollout-decision.entity';
export * from './report-share.entity';
export * from './webhook-endpoint.entity';
export * from './webhook-delivery.entity';
export * from './tallies.entity';
export * from './planning-token.entity';
export * from './planning-entry.entity';
export * from './planning-revision.entity';
export * from './report-pdf.entity';
export * from './send-quota.entity';

import { AuditEvent } from './audit-event.entity';
import { OutboxTally, RetentionRun, WebhookDeliveryTally } from './tallies.entity';
import { ReportPdf } from './report-pdf.entity';
import { SendQuota } from './send-quota.entity';
import { CredentialToken } from './credential-token.entity';
import { Heartbeat } from './heartbeat.entity';
import { CadenceStep } from './cadence-step.entity';
import { CadenceDispatch } from './cadence-dispatch.entity';
import { OutboxMessage } from './outbox-message.entity';
import { UnsubscribeToken } from './unsubscribe-token.entity';
import { MessageTemplate } from './message-template.entity';
import { CapturedMail } from './captured-mail.entity';
import { DevClock } from './dev-clock.entity';
import { QuestionSet } from './question-set.entity';
import { Retrospective } from './retrospective.entity';
import { Invitation } from './invitation.entity';
import { InvitationToken } from './invitation-token.entity';
import { RetrospectiveResponse } from './retrospective-response.entity';
import { PendingAnswer } from './pending-answer.entity';
import { Objective } from './objective.entity';
import { KeyResult } from './key-result.entity';
import { CheckInToken } from './check-in-token.entity';
import { CheckIn } from './check-in.entity';
import { LearningReport } from './learning-report.entity';
import { LearningNote } from './learning-note.entity';
import { ReadinessReport } from './readiness-report.entity';
import { RolloutDecision } from './rollout-decision.entity';
import { ReportShare } from './report-share.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { Member } from './member.entity';
import { Organization } from './organization.entity';
import { Participant } from './participant.entity';
import { Pilot } from './pilot.entity';
import { PilotMembership } from './pilot-membership.entity';
import { Quarter } from './quarter.entity';
import { Rollout } from './rollout.entity';
import { SponsorGrant } from './sponsor-grant.entity';
import { Workspace } from './workspace.entity';
import { PlanningToken } from './planning-token.entity';
import { PlanningEntry } from './planning-entry.entity';
import { PlanningRevision } from './planning-revision.entity';

/** Listed as classes, not globs, so the same options work from TypeScript and from dist. */
export const ENTITIES = [
  Workspace,
  Member,
  CredentialToken,
  SponsorGrant,
  Organization,
  Rollout,
  Pilot,
  Quarter,
  Participant,
  PilotMembership,
  AuditEvent,
  Heartbeat,
  CadenceStep,
  CadenceDispatch,
  OutboxMessage,
  UnsubscribeToken,
  MessageTemplate,
  CapturedMail,
  DevClock,
  QuestionSet,
  Retrospective,
  Invitation,
  InvitationToken,
  RetrospectiveResponse,
  PendingAnswer,
  Objective,
  KeyResult,
  CheckInToken,
  CheckIn,
  LearningReport,
  LearningNote,
  ReadinessReport,
  RolloutDecision,
  ReportShare,
  WebhookEndpoint,
  WebhookDelivery,
  OutboxTally,
  WebhookDeliveryTally,
  RetentionRun,
  PlanningToken,
  PlanningEntry,
  PlanningRevision,
  ReportPdf,
  SendQuota,
];
