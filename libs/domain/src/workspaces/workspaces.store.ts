import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, MoreThan } from 'typeorm';
import {
  CredentialPurpose,
  CredentialToken,
  Locale,
  Member,
  MemberRole,
  SponsorGrant,
  Workspace,
} from '@luotsi/database';
import { Page, PageRequest } from '../common/page';
import { Tenancy } from '../tenancy/tenancy.service';
import { affected, returned } from '../common/sql';

/** A member as the owner invites it; the workspace is the actor's. */
export interface NewMember {
  email: string;
  name: string;
  role: MemberRole;
  invitedById: string | null;
}

/** The first owner of a new workspace. */
export interface NewOwner {
  workspaceId: string;
  email: string;
  name: string;
  passwordHash: string;
  acceptedAt: Date;
}

/** A credential as it is stored: the digest of the token, never the token. */
export interface NewCredential {
  workspaceId: string;
  memberId: string;
  purpose: CredentialPurpose;
  tokenHash: Buffer;
  expiresAt: Date;
}

/**
 * The tables of workspaces and their members (`workspace`, `member`, `credential_token`,
 * `sponsor_grant`): the only code that reads or writes them.
 *
 * What an owner or coach does goes through the actor's scope (`Tenancy.repo`). Signing up, logging in,
 * authenticating a token and accepting an invitation happen before there is an actor: those methods say
 * so, and find their rows by what identifies them across Luotsi (an email, a token's digest, an id the
 * token names).
 */
@Injectable()
export class WorkspacesStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: Tenancy,
  ) {}

  // --- in the actor's workspace ---

  private members(manager?: EntityManager) {
    return this.tenancy.repo(Member, 'member', manager);
  }

  private grants(manager?: EntityManager) {
    return this.tenancy.repo(SponsorGrant, 'grant', manager);
  }

  createMember(values: NewMember, manager?: EntityManager): Promise<Member> {
    return this.members(manager).create(values);
  }

  getMember(id: string, options: { lock?: boolean } = {}, manager?: EntityManager): Promise<Member> {
    return this.members(manager).get(id, options);
  }

  findMember(id: string, manager?: EntityManager): Promise<Member | null> {
    return this.members(manager).findOne({ id });
  }

  pageMembers(page: PageRequest): Promise<Page<Member>> {
    return this.members().page(page);
  }

  countMembers(role: MemberRole, manager?: EntityManager): Promise<number> {
    return this.members(manager).count({ role });
  }

  saveMember(member: Member, manager?: EntityManager): Promise<Member> {
    return this.members(manager).save(member);
  }

  removeMember(member: Member, manager?: EntityManager): Promise<void> {
    return this.members(manager).remove(member);
  }

  grantsOf(memberIds: string[], manager?: EntityManager): Promise<SponsorGrant[]> {
    return this.grants(manager).find({ where: { memberId: In(memberIds) } });
  }

  async addGrant(memberId: string, organizationId: string, manager?: EntityManager): Promise<void> {
    await this.grants(manager).create({ memberId, organizationId });
  }

  /** Removes a member's grants; the member was read through the actor's scope. */
  async clearGrants(memberId: string, manager: EntityManager): Promise<void> {
    await manager.delete(SponsorGrant, { memberId });
  }

  // --- before there is an actor, or across workspaces by what is unique across Luotsi ---

  /** Runs `work` in one transaction, for the steps that have no actor yet (sign-up, an invitation). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Emails are unique across workspaces (login needs no workspace), so this looks at every one. */
  emailInUse(email: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.existsBy(Member, { email });
  }

  createWorkspace(name: string, manager: EntityManager): Promise<Workspace> {
    return manager.save(manager.create(Workspace, { name }));
  }

  createOwner(values: NewOwner, manager: EntityManager): Promise<Member> {
    return manager.save(manager.create(Member, { ...values, role: 'owner' }));
  }

  /** The member with this email, with its password digest (which is never read otherwise). */
  memberWithPassword(email: string): Promise<Member | null> {
    return this.dataSource
      .getRepository(Member)
      .createQueryBuilder('m')
      .addSelect('m.passwordHash')
      .where('m.email = :email', { email })
      .getOne();
  }

  /** The member a credential names. */
  memberById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Member | null> {
    return manager.findOneBy(Member, { id });
  }

  /** The member a live invitation names (its credentials go with it, so it exists). */
  invitedMember(id: string, manager: EntityManager): Promise<Member> {
    return manager.findOneByOrFail(Member, { id });
  }

  /** The member in its workspace, as an authenticated actor names itself. */
  memberIn(workspaceId: string, id: string | undefined): Promise<Member | null> {
    return this.dataSource.getRepository(Member).findOneBy({ id, workspaceId });
  }

  /** The organizations a sponsor is granted, for the actor it becomes. */
  async grantedOrganizationIds(memberId: string): Promise<string[]> {
    return (await this.dataSource.getRepository(SponsorGrant).findBy({ memberId })).map(
      (g) => g.organizationId,
    );
  }

  /** Before the tenant context exists in some callers, so scoped by the ids the session names. */
  async setLocale(workspaceId: string, memberId: string, locale: Locale): Promise<void> {
    await this.dataSource.getRepository(Member).update({ id: memberId, workspaceId }, { locale });
  }

  async setPassword(
    memberId: string,
    passwordHash: string,
    acceptedAt: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(Member, { id: memberId }, { passwordHash, acceptedAt });
  }

  async addCredential(
    values: NewCredential,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.insert(CredentialToken, values);
  }

  /** A credential with this digest and purpose, neither revoked nor expired at `now`. */
  liveCredential(
    tokenHash: Buffer,
    purpose: CredentialPurpose,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CredentialToken | null> {
    return manager.findOneBy(CredentialToken, {
      tokenHash,
      purpose,
      revokedAt: IsNull(),
      expiresAt: MoreThan(now),
    });
  }

  async revokeCredential(id: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(CredentialToken, { id }, { revokedAt: at });
  }

  /** Revokes the credential with this digest, unless it is revoked already. */
  async revokeCredentialByHash(tokenHash: Buffer, at: Date): Promise<void> {
    await this.dataSource
      .getRepository(CredentialToken)
      .update({ tokenHash, revokedAt: IsNull() }, { revokedAt: at });
  }

  /** The member with this email, in any workspace (emails are unique across Luotsi). */
  memberByEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<Member | null> {
    return manager.findOneBy(Member, { email });
  }

  /** A member by id with its password digest, for a password change. */
  memberWithPasswordById(id: string): Promise<Member | null> {
    return this.dataSource
      .getRepository(Member)
      .createQueryBuilder('m')
      .addSelect('m.passwordHash')
      .where('m.id = :id', { id })
      .getOne();
  }

  workspaceById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Workspace | null> {
    return manager.findOneBy(Workspace, { id });
  }

  /** Marks the workspace's sign-up address confirmed, unless it is already. */
  async confirmWorkspace(id: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(Workspace, { id, emailConfirmedAt: IsNull() }, { emailConfirmedAt: at });
  }

  /** A new password digest for the member, keeping when it first accepted (or now, if never). */
  async changePassword(
    memberId: string,
    passwordHash: string,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE member SET password_hash = $2, accepted_at = coalesce(accepted_at, $3), updated_at = now()
       WHERE id = $1`,
      [memberId, passwordHash, at],
    );
  }

  /**
   * Revokes the member's live credentials of this purpose, all but the one with `keepHash`; returns how
   * many were revoked.
   */
  async revokeCredentialsOf(
    memberId: string,
    purpose: CredentialPurpose,
    at: Date,
    manager: EntityManager = this.dataSource.manager,
    keepHash?: Buffer,
  ): Promise<number> {
    return affected(
      await manager.query(
        `UPDATE credential_token SET revoked_at = $3
         WHERE member_id = $1 AND purpose = $2 AND revoked_at IS NULL AND expires_at > $3
           AND ($4::bytea IS NULL OR token_hash <> $4::bytea)`,
        [memberId, purpose, at, keepHash ?? null],
      ),
    );
  }

  /**
   * The members with these ids in the actor's workspace, whatever the actor's grants: members belong to
   * no organization, so a sponsor's scope would hide them, yet a sponsor reads who wrote or decided what
   * it is granted. Read within the workspace explicitly, never across workspaces.
   */
  membersIn(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Member[]> {
    if (!ids.length) return Promise.resolve([]);
    return manager.getRepository(Member).findBy({ id: In(ids), workspaceId: this.tenancy.actor.workspaceId });
  }

  /** The member's second factor: its sealed secrets, whether it is on, the last step accepted. */
  secondFactorOf(memberId: string, manager: EntityManager = this.dataSource.manager): Promise<Member | null> {
    return manager
      .getRepository(Member)
      .createQueryBuilder('m')
      .addSelect(['m.totpSecret', 'm.totpPendingSecret', 'm.totpLastStep'])
      .where('m.id = :memberId', { memberId })
      .getOne();
  }

  /** Keeps a secret being enrolled (sealed), replacing any earlier one not confirmed. */
  async setPendingSecondFactor(memberId: string, sealed: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE member SET totp_pending_secret = $2, updated_at = now() WHERE id = $1`,
      [memberId, sealed],
    );
  }

  /** Turns the second factor on with the enrolled secret; false when none was being enrolled. */
  async enableSecondFactor(
    memberId: string,
    at: Date,
    step: number,
    manager: EntityManager,
  ): Promise<boolean> {
    const rows = returned(
      await manager.query(
        `UPDATE member SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled_at = $2,
              totp_last_step = $3, updated_at = now()
        WHERE id = $1 AND totp_pending_secret IS NOT NULL AND totp_enabled_at IS NULL
        RETURNING id`,
        [memberId, at, step],
      ),
    );
    return rows.length > 0;
  }

  /** Turns the second factor off: the secrets go. */
  async disableSecondFactor(memberId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE member SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL,
              totp_last_step = NULL, updated_at = now()
        WHERE id = $1`,
      [memberId],
    );
  }

  /**
   * Takes a code's time step for the member: only one later than the last accepted, so no code is
   * accepted twice (two requests with the same code at once: one wins). False for a replay.
   */
  async takeSecondFactorStep(
    memberId: string,
    step: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const rows = returned(
      await manager.query(
        `UPDATE member SET totp_last_step = $2
        WHERE id = $1 AND totp_enabled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)
        RETURNING id`,
        [memberId, step],
      ),
    );
    return rows.length > 0;
  }

  /** The member's live credential of this purpose with this digest (a recovery code). */
  liveCredentialOf(
    memberId: string,
    tokenHash: Buffer,
    purpose: CredentialPurpose,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CredentialToken | null> {
    return manager.findOneBy(CredentialToken, {
      memberId,
      tokenHash,
      purpose,
      revokedAt: IsNull(),
      expiresAt: MoreThan(now),
    });
  }

  /** How many live credentials of this purpose the member has (recovery codes left). */
  countLiveCredentials(memberId: string, purpose: CredentialPurpose, now: Date): Promise<number> {
    return this.dataSource
      .getRepository(CredentialToken)
      .countBy({ memberId, purpose, revokedAt: IsNull(), expiresAt: MoreThan(now) });
  }

  /** Retention: up to `limit` credential tokens (sessions, invitations) that expired before `cutoff`. */
  async purgeExpiredTokens(cutoff: Date, limit: number): Promise<number> {
    return affected(
      await this.dataSource.query(
        `DELETE FROM credential_token WHERE id IN (
           SELECT id FROM credential_token WHERE expires_at < $1 ORDER BY expires_at LIMIT $2)`,
        [cutoff, limit],
      ),
    );
  }
}
