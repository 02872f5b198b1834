import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { Member, Workspace } from '@luotsi/database';
import { AuditLog } from '../audit';
import { ConflictError } from '../common/errors';
import { AuthService, IssuedToken } from '../auth/auth.service';
import { hashPassword } from '../auth/passwords';

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
    private readonly dataSource: DataSource,
    private readonly auth: AuthService,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  async signUp(input: SignUp): Promise<{ workspace: Workspace; member: Member; token: IssuedToken }> {
    const email = input.email.trim().toLowerCase();
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (manager) => {
      if (await manager.existsBy(Member, { email })) {
        throw new ConflictError('This email already belongs to a member.', { field: 'email' });
      }
      const workspace = await manager.save(manager.create(Workspace, { name: input.workspaceName.trim() }));
      const member = await manager.save(
        manager.create(Member, {
          workspaceId: workspace.id,
          email,
          name: input.name.trim(),
          role: 'owner',
          passwordHash,
          acceptedAt: new Date(),
        }),
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
