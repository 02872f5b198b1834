import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { CredentialToken, CredentialPurpose, Locale, Member } from '@luotsi/database';
import { Clock } from '../common/clock';
import { InvalidInputError, UnauthenticatedError } from '../common/errors';
import { AccountMail, firstName } from './account-mail';
import { hashToken, newToken } from '../common/tokens';
import { Actor } from '../tenancy/actor';
import { decoyHash, hashPassword, passwordWork, verifyPassword } from './passwords';
import { openSealedTotp, recoveryCodeHash, totpStep } from './second-factor';
import { WorkspacesStore } from './workspaces.store';

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresAt: Date;
}

/**
 * The password was right, and the member has the second factor on: the sign-in ends with a code
 * (`completeSignIn`) within `SECOND_FACTOR_TTL_MINUTES`, through this single-use token.
 */
export interface SecondFactorChallenge {
  status: 'second_factor_required';
  challengeToken: string;
  expiresAt: Date;
}

/** What a right password (or a reset or confirmation link) gives: a session, or the ask for a code. */
export type SignedIn = IssuedToken | SecondFactorChallenge;

export const needsSecondFactor = (signedIn: SignedIn): signedIn is SecondFactorChallenge =>
  'challengeToken' in signedIn;

/** How long a sign-in waits for its code. */
export const SECOND_FACTOR_TTL_MINUTES = 5;

const HOUR = 3_600_000;

/** How long a password reset link works. */
export const RESET_TTL_HOURS = 1;

/** The member as the API shows it after sign-in, with whether its workspace's mail is held. */
export type MemberSelf = Member & { organizationIds: string[] | null; mailHeld: boolean };

const TOKEN_PREFIXES: Record<CredentialPurpose, string> = {
  access: 'lat',
  invitation: 'lin',
  confirmation: 'lcf',
  reset: 'lrs',
  second_factor: 'l2f',
  recovery: 'lrc',
};

/** Login, bearer tokens and invitations. Tokens are random and stored only as SHA-256 digests. */
@Injectable()
export class AuthService {
  constructor(
    private readonly store: WorkspacesStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly mail: AccountMail,
  ) {
    passwordWork.configure(config.passwordHashing.concurrency, config.passwordHashing.queue);
  }

  /**
   * One answer for an unknown email, a member without a password and a wrong password, after the same
   * argon2 work (a decoy hash stands in for a missing one), so neither the text nor the time tells them apart.
   */
  async login(email: string, password: string): Promise<SignedIn> {
    const member = await this.store.memberWithPassword(email.trim().toLowerCase());
    const ok = await verifyPassword(member?.passwordHash ?? (await decoyHash()), password);
    if (!member || !member.passwordHash || !ok) throw new UnauthenticatedError('Wrong email or password.');
    return this.signIn(member);
  }

  /**
   * A session for the member, or, with the second factor on, a short-lived single-use challenge that
   * `completeSignIn` turns into one with a code.
   */
  async signIn(member: Member, manager?: EntityManager): Promise<SignedIn> {
    if (!member.totpEnabledAt)
      return this.issue(member, 'access', this.config.auth.accessTokenTtlHours, manager);
    const issued = await this.issue(member, 'second_factor', SECOND_FACTOR_TTL_MINUTES / 60, manager);
    return {
      status: 'second_factor_required',
      challengeToken: issued.accessToken,
      expiresAt: issued.expiresAt,
    };
  }

  /** The member a sign-in waiting for its code belongs to (for the sign-in limits), or throws. */
  async challengedMember(challengeToken: string): Promise<Member> {
    const challenge = await this.findLiveToken(challengeToken, 'second_factor').catch(() => {
      throw new UnauthenticatedError('The sign-in has expired; sign in again.');
    });
    const member = await this.store.memberById(challenge.memberId);
    if (!member) throw new UnauthenticatedError('The sign-in has expired; sign in again.');
    return member;
  }

  /**
   * Ends a sign-in waiting for its code: a current code of the member's authenticator (never one
   * accepted before) or one of its recovery codes (each once). A wrong code changes nothing and may be
   * tried again until the challenge expires; the caller counts it against the sign-in limits.
   */
  async completeSignIn(challengeToken: string, code: string): Promise<IssuedToken> {
    const typed = code.trim();
    return this.store.transaction(async (manager) => {
      const challenge = await this.findLiveToken(challengeToken, 'second_factor', manager).catch(() => {
        throw new UnauthenticatedError('The sign-in has expired; sign in again.');
      });
      const member = await this.store.secondFactorOf(challenge.memberId, manager);
      if (!member?.totpEnabledAt || !member.totpSecret)
        throw new UnauthenticatedError('The sign-in has expired; sign in again.');
      const now = this.clock.now();
      if (/^\d{6}$/.test(typed)) {
        const step = await totpStep(
          openSealedTotp(member.totpSecret, this.config.auth.secondFactorKey),
          typed,
          now,
        );
        if (step === null || !(await this.store.takeSecondFactorStep(member.id, step, manager)))
          throw new UnauthenticatedError('Wrong code.');
      } else {
        const recovery = await this.store.liveCredentialOf(
          member.id,
          recoveryCodeHash(typed),
          'recovery',
          now,
          manager,
        );
        if (!recovery) throw new UnauthenticatedError('Wrong code.');
        await this.store.revokeCredential(recovery.id, now, manager);
      }
      await this.store.revokeCredential(challenge.id, now, manager);
      return this.issue(member, 'access', this.config.auth.accessTokenTtlHours, manager);
    });
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

  /**
   * The acting member's own record, for any role, and whether the workspace's mail is held (its sign-up
   * address is not confirmed yet).
   */
  async me(actor: Actor): Promise<MemberSelf> {
    const member = await this.store.memberIn(actor.workspaceId, actor.memberId ?? undefined);
    if (!member) throw new UnauthenticatedError();
    const workspace = await this.store.workspaceById(actor.workspaceId);
    return { ...member, organizationIds: actor.organizationIds, mailHeld: !workspace?.emailConfirmedAt };
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

  /**
   * A signed-in member changes the password, naming the current one; every other session of the member
   * ends (the one making the change, `currentToken`, stays), and so do open reset links.
   */
  async changePassword(actor: Actor, currentToken: string, current: string, next: string): Promise<void> {
    if (!actor.memberId) throw new UnauthenticatedError();
    const member = await this.store.memberWithPasswordById(actor.memberId);
    if (!member || member.workspaceId !== actor.workspaceId) throw new UnauthenticatedError();
    const ok = member.passwordHash ? await verifyPassword(member.passwordHash, current) : false;
    if (!ok)
      throw new InvalidInputError('The current password is wrong.', [
        { field: 'currentPassword', reason: 'wrong password' },
      ]);
    const passwordHash = await hashPassword(next);
    await this.store.transaction(async (manager) => {
      const now = this.clock.now();
      await this.store.changePassword(member.id, passwordHash, now, manager);
      await this.store.revokeCredentialsOf(member.id, 'access', now, manager, hashToken(currentToken));
      await this.store.revokeCredentialsOf(member.id, 'reset', now, manager);
    });
  }

  /** Ends every session of the member, on every device, the calling one included; returns how many. */
  async signOutEverywhere(actor: Actor): Promise<number> {
    if (!actor.memberId) throw new UnauthenticatedError();
    return this.store.revokeCredentialsOf(actor.memberId, 'access', this.clock.now());
  }

  /**
   * Mails a single-use reset link to the member with this email, if there is one; otherwise nothing.
   * The caller answers the same either way, and the mail goes without keeping it waiting. A new link
   * replaces any earlier one.
   */
  async requestPasswordReset(email: string, locale?: Locale): Promise<void> {
    const member = await this.store.memberByEmail(email.trim().toLowerCase());
    if (!member) return;
    const now = this.clock.now();
    const { token, hash } = newToken('lrs');
    await this.store.transaction(async (manager) => {
      await this.store.revokeCredentialsOf(member.id, 'reset', now, manager);
      await this.store.addCredential(
        {
          workspaceId: member.workspaceId,
          memberId: member.id,
          purpose: 'reset',
          tokenHash: hash,
          expiresAt: new Date(now.getTime() + RESET_TTL_HOURS * HOUR),
        },
        manager,
      );
    });
    this.mail.dispatch(
      'password-reset',
      { email: member.email, locale: member.locale ?? locale },
      {
        recipient: { name: member.name, firstName: firstName(member.name) },
        links: { action: this.mail.link(`/app/password/reset/${token}`) },
      },
    );
  }

  /**
   * Sets a new password with a reset link (single use) and signs in: every earlier session ends. The
   * link proves the mailbox, so an owner's reset also confirms an unconfirmed workspace's address.
   */
  async resetPassword(token: string, password: string): Promise<SignedIn> {
    const unknown = () => {
      throw new InvalidInputError('The reset link is unknown, used or expired.', [
        { field: 'token', reason: 'unknown, used or expired' },
      ]);
    };
    await this.findLiveToken(token, 'reset').catch(unknown);
    const passwordHash = await hashPassword(password);
    return this.store.transaction(async (manager) => {
      const link = await this.findLiveToken(token, 'reset', manager).catch(unknown);
      const now = this.clock.now();
      await this.store.revokeCredentialsOf(link.memberId, 'reset', now, manager);
      await this.store.revokeCredentialsOf(link.memberId, 'access', now, manager);
      await this.store.changePassword(link.memberId, passwordHash, now, manager);
      const member = await this.store.invitedMember(link.memberId, manager);
      if (member.role === 'owner') await this.store.confirmWorkspace(member.workspaceId, now, manager);
      // The link proves the mailbox, not the second factor: with it on, the code is still asked for.
      return this.signIn(member, manager);
    });
  }

  /**
   * A fresh invitation link for a member who has not accepted yet (earlier links stop working); null
   * for a member who has. The caller mails it.
   */
  async issueInvitation(memberId: string, manager?: EntityManager): Promise<IssuedToken | null> {
    const member = await this.store.memberById(memberId, manager);
    if (!member || member.acceptedAt) return null;
    await this.store.revokeCredentialsOf(member.id, 'invitation', this.clock.now(), manager);
    return this.issue(member, 'invitation', this.config.auth.invitationTtlHours, manager);
  }

  async issue(
    member: Member,
    purpose: CredentialPurpose,
    ttlHours: number,
    manager?: EntityManager,
  ): Promise<IssuedToken> {
    const { token, hash } = newToken(TOKEN_PREFIXES[purpose]);
    const expiresAt = new Date(this.clock.now().getTime() + ttlHours * HOUR);
    await this.store.addCredential(
      { workspaceId: member.workspaceId, memberId: member.id, purpose, tokenHash: hash, expiresAt },
      manager,
    );
    return { accessToken: token, tokenType: 'Bearer', expiresAt };
  }

  /** The live credential of this purpose a token names, or throws `UnauthenticatedError`. */
  liveCredential(
    token: string,
    purpose: CredentialPurpose,
    manager?: EntityManager,
  ): Promise<CredentialToken> {
    return this.findLiveToken(token, purpose, manager);
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
