import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { CredentialToken, CredentialPurpose, Locale, Member } from '@luotsi/database';
import { Clock } from '../common/clock';
import { InvalidInputError, UnauthenticatedError } from '../common/errors';
import { hashToken, newToken } from '../common/tokens';
import { Actor } from '../tenancy/actor';
import { decoyHash, hashPassword, passwordWork, verifyPassword } from './passwords';
import { WorkspacesStore } from './workspaces.store';

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresAt: Date;
}

const HOUR = 3_600_000;

/** Login, bearer tokens and invitations. Tokens are random and stored only as SHA-256 digests. */
@Injectable()
export class AuthService {
  constructor(
    private readonly store: WorkspacesStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    passwordWork.configure(config.passwordHashing.concurrency, config.passwordHashing.queue);
  }

  /**
   * One answer for an unknown email, a member without a password and a wrong password, after the same
   * argon2 work (a decoy hash stands in for a missing one), so neither the text nor the time tells them apart.
   */
  async login(email: string, password: string): Promise<IssuedToken> {
    const member = await this.store.memberWithPassword(email.trim().toLowerCase());
    const ok = await verifyPassword(member?.passwordHash ?? (await decoyHash()), password);
    if (!member || !member.passwordHash || !ok) throw new UnauthenticatedError('Wrong email or password.');
    return this.issue(member, 'access', this.config.auth.accessTokenTtlHours);
  }

  /** Turns a bearer token into the acting member, or throws. */
  async authenticate(token: string): Promise<{ actor: Actor; member: Member }> {
    const row = await this.findLiveToken(token, 'access');
    const member = await this.store.memberById(row.memberId);
    if (!member) throw new UnauthenticatedError();
    const organizationIds =
      member.role === 'sponsor' ? await this.store.grantedOrganizationIds(member.id) : null;
    return {
      member,
      actor: { workspaceId: member.workspaceId, memberId: member.id, role: member.role, organizationIds },
    };
  }

  /** The acting member's own record, for any role. */
  async me(actor: Actor): Promise<Member & { organizationIds: string[] | null }> {
    const member = await this.store.memberIn(actor.workspaceId, actor.memberId ?? undefined);
    if (!member) throw new UnauthenticatedError();
    return { ...member, organizationIds: actor.organizationIds };
  }

  /** The member's own console language, remembered across sessions and devices. */
  async setLanguage(actor: Actor, locale: Locale): Promise<void> {
    if (!actor.memberId) throw new UnauthenticatedError();
    await this.store.setLocale(actor.workspaceId, actor.memberId, locale);
  }

  async logout(token: string): Promise<void> {
    await this.store.revokeCredentialByHash(hashToken(token), this.clock.now());
  }

  /** An invited member sets a password with the one-time token and is logged in. */
  async acceptInvitation(token: string, password: string): Promise<IssuedToken> {
    const unknown = () => {
      throw new InvalidInputError('The invitation is unknown, used or expired.', [
        { field: 'token', reason: 'unknown, used or expired' },
      ]);
    };
    // The cheap check first, and the hash outside the transaction, so no connection waits on argon2.
    await this.findLiveToken(token, 'invitation').catch(unknown);
    const passwordHash = await hashPassword(password);
    return this.store.transaction(async (manager) => {
      const invitation = await this.findLiveToken(token, 'invitation', manager).catch(unknown);
      const now = this.clock.now();
      await this.store.revokeCredential(invitation.id, now, manager);
      await this.store.setPassword(invitation.memberId, passwordHash, now, manager);
      const member = await this.store.invitedMember(invitation.memberId, manager);
      return this.issue(member, 'access', this.config.auth.accessTokenTtlHours, manager);
    });
  }

  async issue(
    member: Member,
    purpose: CredentialPurpose,
    ttlHours: number,
    manager?: EntityManager,
  ): Promise<IssuedToken> {
    const { token, hash } = newToken(purpose === 'access' ? 'lat' : 'lin');
    const expiresAt = new Date(this.clock.now().getTime() + ttlHours * HOUR);
    await this.store.addCredential(
      { workspaceId: member.workspaceId, memberId: member.id, purpose, tokenHash: hash, expiresAt },
      manager,
    );
    return { accessToken: token, tokenType: 'Bearer', expiresAt };
  }

  private async findLiveToken(
    token: string,
    purpose: CredentialPurpose,
    manager?: EntityManager,
  ): Promise<CredentialToken> {
    const row = await this.store.liveCredential(hashToken(token), purpose, this.clock.now(), manager);
    if (!row) throw new UnauthenticatedError();
    return row;
  }

  /** Retention: sessions and invitations expired before `cutoff`, up to `limit`; how many went. */
  purgeExpiredTokens(cutoff: Date, limit: number): Promise<number> {
    return this.store.purgeExpiredTokens(cutoff, limit);
  }
}
