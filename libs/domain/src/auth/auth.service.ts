import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { CredentialToken, CredentialPurpose, Member, SponsorGrant } from '@luotsi/database';
import { Clock } from '../common/clock';
import { InvalidInputError, UnauthenticatedError } from '../common/errors';
import { hashToken, newToken } from '../common/tokens';
import { Actor } from '../tenancy/actor';
import { decoyHash, hashPassword, verifyPassword } from './passwords';

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
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async login(email: string, password: string): Promise<IssuedToken> {
    const member = await this.dataSource
      .getRepository(Member)
      .createQueryBuilder('m')
      .addSelect('m.passwordHash')
      .where('m.email = :email', { email: email.trim().toLowerCase() })
      .getOne();
    const ok = await verifyPassword(member?.passwordHash ?? (await decoyHash()), password);
    if (!member || !member.passwordHash || !ok) throw new UnauthenticatedError('Wrong email or password.');
    return this.issue(member, 'access', this.config.auth.accessTokenTtlHours);
  }

  /** Turns a bearer token into the acting member, or throws. */
  async authenticate(token: string): Promise<{ actor: Actor; member: Member }> {
    const row = await this.findLiveToken(token, 'access');
    const member = await this.dataSource.getRepository(Member).findOneBy({ id: row.memberId });
    if (!member) throw new UnauthenticatedError();
    const organizationIds =
      member.role === 'sponsor'
        ? (await this.dataSource.getRepository(SponsorGrant).findBy({ memberId: member.id })).map(
            (g) => g.organizationId,
          )
        : null;
    return {
      member,
      actor: { workspaceId: member.workspaceId, memberId: member.id, role: member.role, organizationIds },
    };
  }

  /** The acting member's own record, for any role. */
  async me(actor: Actor): Promise<Member & { organizationIds: string[] | null }> {
    const member = await this.dataSource
      .getRepository(Member)
      .findOneBy({ id: actor.memberId ?? undefined, workspaceId: actor.workspaceId });
    if (!member) throw new UnauthenticatedError();
    return { ...member, organizationIds: actor.organizationIds };
  }

  async logout(token: string): Promise<void> {
    await this.dataSource
      .getRepository(CredentialToken)
      .update({ tokenHash: hashToken(token), revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  /** An invited member sets a password with the one-time token and is logged in. */
  async acceptInvitation(token: string, password: string): Promise<IssuedToken> {
    return this.dataSource.transaction(async (manager) => {
      const invitation = await this.findLiveToken(token, 'invitation', manager).catch(() => {
        throw new InvalidInputError('The invitation is unknown, used or expired.', [
          { field: 'token', reason: 'unknown, used or expired' },
        ]);
      });
      const now = this.clock.now();
      await manager.update(CredentialToken, { id: invitation.id }, { revokedAt: now });
      await manager.update(
        Member,
        { id: invitation.memberId },
        { passwordHash: await hashPassword(password), acceptedAt: now },
      );
      const member = await manager.findOneByOrFail(Member, { id: invitation.memberId });
      return this.issue(member, 'access', this.config.auth.accessTokenTtlHours, manager);
    });
  }

  async issue(
    member: Member,
    purpose: CredentialPurpose,
    ttlHours: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IssuedToken> {
    const { token, hash } = newToken(purpose === 'access' ? 'lat' : 'lin');
    const expiresAt = new Date(this.clock.now().getTime() + ttlHours * HOUR);
    await manager.insert(CredentialToken, {
      workspaceId: member.workspaceId,
      memberId: member.id,
      purpose,
      tokenHash: hash,
      expiresAt,
    });
    return { accessToken: token, tokenType: 'Bearer', expiresAt };
  }

  private async findLiveToken(
    token: string,
    purpose: CredentialPurpose,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CredentialToken> {
    const row = await manager.findOneBy(CredentialToken, {
      tokenHash: hashToken(token),
      purpose,
      revokedAt: IsNull(),
      expiresAt: MoreThan(this.clock.now()),
    });
    if (!row) throw new UnauthenticatedError();
    return row;
  }
}
