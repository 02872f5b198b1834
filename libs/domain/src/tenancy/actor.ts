import type { MemberRole } from '@luotsi/database';

/**
 * Who is acting. A member acts through the API; the system acts for a workspace from the worker or a
 * participant's link. `organizationIds` is the sponsor's grant list, null for everyone else.
 */
export interface Actor {
  workspaceId: string;
  memberId: string | null;
  role: MemberRole | 'system';
  organizationIds: string[] | null;
}

export const systemActor = (workspaceId: string): Actor => ({
  workspaceId,
  memberId: null,
  role: 'system',
  organizationIds: null,
});

export const canWrite = (actor: Actor): boolean => actor.role !== 'sponsor';
