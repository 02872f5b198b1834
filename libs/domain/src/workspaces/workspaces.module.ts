import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { OrganizationsModule } from '../organizations';
import { AccountMail } from './account-mail';
import { AuthService } from './auth.service';
import { MemberService } from './member.service';
import { SecondFactorService } from './second-factor.service';
import { WorkspaceService } from './workspace.service';
import { WorkspacesStore } from './workspaces.store';

/**
 * Workspaces, their members and how they sign in (`workspace`, `member`, `credential_token`,
 * `sponsor_grant`): sign-up, login and bearer tokens, invitations, roles and a sponsor's grants.
 */
@Module({
  imports: [AuditModule, OrganizationsModule],
  providers: [
    WorkspacesStore,
    AccountMail,
    AuthService,
    WorkspaceService,
    MemberService,
    SecondFactorService,
  ],
  exports: [AuthService, WorkspaceService, MemberService, SecondFactorService],
})
export class WorkspacesModule {}
