export * from './vocabulary';
export * from './workspace.entity';
export * from './workspace-owned';
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

import { AuditEvent } from './audit-event.entity';
import { CredentialToken } from './credential-token.entity';
import { Heartbeat } from './heartbeat.entity';
import { Member } from './member.entity';
import { Organization } from './organization.entity';
import { Participant } from './participant.entity';
import { Pilot } from './pilot.entity';
import { PilotMembership } from './pilot-membership.entity';
import { Quarter } from './quarter.entity';
import { Rollout } from './rollout.entity';
import { SponsorGrant } from './sponsor-grant.entity';
import { Workspace } from './workspace.entity';

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
];
