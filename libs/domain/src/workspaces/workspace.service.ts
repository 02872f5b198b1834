import { Injectable } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import type { Member, Workspace } from '@luotsi/database';
import { AuditLog } from '../audit';
import { ConflictError } from '../common/errors';
import { AuthService, IssuedToken } from './auth.service';
import { hashPassword } from './passwords';
import { WorkspacesStore } from './workspaces.store';

export interface SignUp {
  workspaceName: string;
  email: string;
  name: string;
  password: string;
}

/** Sign-up: a new workspace and its first owner, logged in. */
@Injectable()
export class WorkspaceService {
  constructor(
    private readonly store: WorkspacesStore,
    private readonly auth: AuthService,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  async signUp(input: SignUp): Promise<{ workspace: Workspace; member: Member; token: IssuedToken }> {
    const email = input.email.trim().toLowerCase();
    const taken = () => new ConflictError('This email already belongs to a member.', { field: 'email' });
    // The cheap check before the costly hash; checked again inside the transaction for a racing sign-up.
    if (await this.store.emailInUse(email)) throw taken();
    const passwordHash = await hashPassword(input.password);
    return this.store.transaction(async (manager) => {
      if (await this.store.emailInUse(email, manager)) throw taken();
      const workspace = await this.store.createWorkspace(input.workspaceName.trim(), manager);
      const member = await this.store.createOwner(
        { workspaceId: workspace.id, email, name: input.name.trim(), passwordHash, acceptedAt: new Date() },
        manager,
      );
      await this.audit.recordAs(
        { workspaceId: workspace.id, memberId: member.id, role: 'owner', organizationIds: null },
        {
          action: 'workspace.created',
          entityType: 'workspace',
          entityId: workspace.id,
          details: { name: workspace.name },
        },
        manager,
      );
      const token = await this.auth.issue(member, 'access', this.config.auth.accessTokenTtlHours, manager);
      delete (member as Partial<Member>).passwordHash;
      return { workspace, member, token };
    });
  }
}
