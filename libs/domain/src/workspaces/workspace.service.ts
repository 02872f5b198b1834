import { Injectable } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import type { Locale, Member, Workspace } from '@luotsi/database';
import { AuditLog } from '../audit';
import { Clock } from '../common/clock';
import { InvalidInputError } from '../common/errors';
import { newToken } from '../common/tokens';
import { AccountMail, firstName } from './account-mail';
import { AuthService, SignedIn } from './auth.service';
import { hashPassword } from './passwords';
import { WorkspacesStore } from './workspaces.store';

export interface SignUp {
  workspaceName: string;
  email: string;
  name: string;
  password: string;
  /** The language of the confirmation mail (and the owner's console); English when unset. */
  locale?: Locale;
}

/** How long the sign-up address's confirmation link works. */
export const CONFIRMATION_TTL_HOURS = 72;

const HOUR = 3_600_000;

/**
 * Sign-up: a new workspace and its first owner, whose address is confirmed by a mailed link. Until then
 * the owner can sign in with the password and work, but the workspace's outbox mail is held (the
 * outbox queues no row of an unconfirmed workspace). Whether the address had an account already is
 * never told: the caller answers the same, and the address's owner gets a notice instead.
 */
@Injectable()
export class WorkspaceService {
  constructor(
    private readonly store: WorkspacesStore,
    private readonly auth: AuthService,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly mail: AccountMail,
  ) {}

  /**
   * Creates the workspace and its owner and mails the confirmation link; for an address that has an
   * account, creates nothing and mails its owner a notice. The same argon2 work either way, and the mail
   * goes without keeping the caller waiting, so neither the answer nor its time tells the two apart.
   */
  async signUp(input: SignUp): Promise<void> {
    const email = input.email.trim().toLowerCase();
    const passwordHash = await hashPassword(input.password);
    type Created = { existing: Member } | { workspace: Workspace; member: Member; token: string };
    const created = await this.store
      .transaction<Created>(async (manager) => {
        const existing = await this.store.memberByEmail(email, manager);
        if (existing) return { existing };
        const workspace = await this.store.createWorkspace(input.workspaceName.trim(), manager);
        const member = await this.store.createOwner(
          {
            workspaceId: workspace.id,
            email,
            name: input.name.trim(),
            passwordHash,
            acceptedAt: this.clock.now(),
          },
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
        const token = await this.addConfirmation(member, manager);
        return { workspace, member, token };
      })
      .catch(async (error: unknown): Promise<Created> => {
        // A racing sign-up with the same address won the unique index: the same as an existing account.
        if ((error as { code?: string }).code !== '23505') throw error;
        const existing = await this.store.memberByEmail(email);
        if (!existing) throw error;
        return { existing };
      });
    if ('existing' in created) {
      const member = created.existing;
      this.mail.dispatch(
        'account-notice',
        { email: member.email, locale: member.locale ?? input.locale },
        {
          recipient: { name: member.name, firstName: firstName(member.name) },
          links: { signIn: this.mail.link('/app/sign-in'), reset: this.mail.link('/app/password/forgot') },
        },
      );
      return;
    }
    if (input.locale) await this.store.setLocale(created.workspace.id, created.member.id, input.locale);
    this.mailConfirmation(created.workspace, created.member, created.token, input.locale);
  }

  /**
   * Confirms the sign-up address with the mailed link (single use) and signs the owner in; the
   * workspace's held mail goes with the next tick of the scheduler.
   */
  async confirm(token: string): Promise<{ workspace: Workspace; member: Member; token: SignedIn }> {
    const unknown = () => {
      throw new InvalidInputError('The confirmation link is unknown, used or expired.', [
        { field: 'token', reason: 'unknown, used or expired' },
      ]);
    };
    return this.store.transaction(async (manager) => {
      const link = await this.auth.liveCredential(token, 'confirmation', manager).catch(unknown);
      const now = this.clock.now();
      await this.store.revokeCredentialsOf(link.memberId, 'confirmation', now, manager);
      const member = await this.store.invitedMember(link.memberId, manager);
      await this.store.confirmWorkspace(member.workspaceId, now, manager);
      const workspace = (await this.store.workspaceById(member.workspaceId, manager))!;
      await this.audit.recordAs(
        { workspaceId: workspace.id, memberId: member.id, role: member.role, organizationIds: null },
        { action: 'workspace.email_confirmed', entityType: 'workspace', entityId: workspace.id, details: {} },
        manager,
      );
      // With the second factor on (an owner may turn it on before confirming), the code is asked for.
      return { workspace, member, token: await this.auth.signIn(member, manager) };
    });
  }

  /**
   * A fresh confirmation link for the owner with this email, while its workspace's address is not
   * confirmed (earlier links stop working); null otherwise. `resendConfirmation` mails it.
   */
  async issueConfirmation(email: string): Promise<string | null> {
    const member = await this.store.memberByEmail(email.trim().toLowerCase());
    if (!member || member.role !== 'owner') return null;
    const workspace = await this.store.workspaceById(member.workspaceId);
    if (!workspace || workspace.emailConfirmedAt) return null;
    const token = await this.store.transaction((manager) => this.addConfirmation(member, manager));
    return token;
  }

  /** Mails a new confirmation link to this address if it names an unconfirmed owner; the caller answers the same. */
  async resendConfirmation(email: string, locale?: Locale): Promise<void> {
    const token = await this.issueConfirmation(email);
    if (!token) return;
    const member = (await this.store.memberByEmail(email.trim().toLowerCase()))!;
    const workspace = (await this.store.workspaceById(member.workspaceId))!;
    this.mailConfirmation(workspace, member, token, member.locale ?? locale);
  }

  private async addConfirmation(
    member: Member,
    manager: Parameters<Parameters<WorkspacesStore['transaction']>[0]>[0],
  ): Promise<string> {
    const now = this.clock.now();
    await this.store.revokeCredentialsOf(member.id, 'confirmation', now, manager);
    const { token, hash } = newToken('lcf');
    await this.store.addCredential(
      {
        workspaceId: member.workspaceId,
        memberId: member.id,
        purpose: 'confirmation',
        tokenHash: hash,
        expiresAt: new Date(now.getTime() + CONFIRMATION_TTL_HOURS * HOUR),
      },
      manager,
    );
    return token;
  }

  private mailConfirmation(
    workspace: Workspace,
    member: Member,
    token: string,
    locale?: Locale | null,
  ): void {
    this.mail.dispatch(
      'account-confirmation',
      { email: member.email, locale: member.locale ?? locale },
      {
        recipient: { name: member.name, firstName: firstName(member.name) },
        workspace: { name: workspace.name },
        links: { action: this.mail.link(`/app/confirm/${token}`) },
      },
    );
  }
}
