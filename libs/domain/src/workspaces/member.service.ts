import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { Member, MemberRole } from '@luotsi/database';
import { ConflictError, InvalidInputError } from '../common/errors';
import { Page, PageRequest } from '../common/page';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { OrganizationService } from '../organizations';
import { AccountMail, firstName } from './account-mail';
import { AuthService, IssuedToken } from './auth.service';
import { WorkspacesStore } from './workspaces.store';

export interface Invite {
  email: string;
  name: string;
  role: MemberRole;
  organizationIds?: string[];
}

export interface MemberView extends Member {
  organizationIds: string[] | null;
}

export interface Invitation {
  member: MemberView;
  /** When the mailed link stops working. The link itself goes only to the invited address. */
  expiresAt: Date;
}

/** The logins of a workspace: owners invite coaches and sponsors and grant sponsors organizations. */
@Injectable()
export class MemberService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: WorkspacesStore,
    private readonly auth: AuthService,
    private readonly organizations: OrganizationService,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    private readonly mail: AccountMail,
  ) {}

  /** Creates the member and mails the invitation link to its address (never to the inviter). */
  async invite(input: Invite): Promise<Invitation> {
    this.tenancy.requireRole('owner');
    const email = input.email.trim().toLowerCase();
    const invited = await this.tenancy.transaction(async (manager) => {
      // Emails are unique across workspaces (login needs no workspace), so check globally.
      if (await this.store.emailInUse(email, manager)) {
        throw new ConflictError('This email already belongs to a member.', { field: 'email' });
      }
      const member = await this.store.createMember(
        { email, name: input.name.trim(), role: input.role, invitedById: this.tenancy.actor.memberId },
        manager,
      );
      const organizationIds = await this.writeGrants(member, input.organizationIds ?? [], manager);
      const { accessToken, expiresAt } = await this.auth.issue(
        member,
        'invitation',
        this.config.auth.invitationTtlHours,
        manager,
      );
      await this.audit.record(
        {
          action: 'member.invited',
          entityType: 'member',
          entityId: member.id,
          details: { role: member.role, organizationIds },
        },
        manager,
      );
      delete (member as Partial<Member>).passwordHash;
      return { member: { ...member, organizationIds }, token: accessToken, expiresAt };
    });
    await this.mailInvitation(invited.member, { accessToken: invited.token, expiresAt: invited.expiresAt });
    return { member: invited.member, expiresAt: invited.expiresAt };
  }

  /**
   * Mails a member who has not accepted yet a fresh invitation link (earlier ones stop working); a
   * member who has accepted is refused.
   */
  async resendInvitation(id: string): Promise<Invitation> {
    this.tenancy.requireRole('owner');
    const [member] = await this.withGrants([await this.store.getMember(id)]);
    const issued = await this.auth.issueInvitation(member.id);
    if (!issued)
      throw new ConflictError('The member has accepted the invitation already.', { memberId: member.id });
    await this.mailInvitation(member, issued);
    return { member, expiresAt: issued.expiresAt };
  }

  private async mailInvitation(member: Member, issued: Pick<IssuedToken, 'accessToken' | 'expiresAt'>) {
    const inviter = this.tenancy.actor.memberId
      ? await this.store.memberById(this.tenancy.actor.memberId)
      : null;
    const workspace = await this.store.workspaceById(member.workspaceId);
    await this.mail.send(
      'member-invitation',
      { email: member.email, locale: member.locale ?? inviter?.locale },
      {
        recipient: { name: member.name, firstName: firstName(member.name) },
        inviter: { name: inviter?.name ?? workspace?.name ?? 'Luotsi' },
        workspace: { name: workspace?.name ?? 'Luotsi' },
        role: member.role,
        links: { action: this.mail.link(`/app/invitations/${issued.accessToken}`) },
      },
    );
  }

  async list(page: PageRequest): Promise<Page<MemberView>> {
    this.tenancy.requireRole('owner', 'coach');
    const result = await this.store.pageMembers(page);
    return { ...result, items: await this.withGrants(result.items) };
  }

  async get(id: string): Promise<MemberView> {
    this.tenancy.requireRole('owner', 'coach');
    const [view] = await this.withGrants([await this.store.getMember(id)]);
    return view;
  }

  async update(id: string, patch: { name?: string; role?: MemberRole }): Promise<MemberView> {
    this.tenancy.requireRole('owner');
    return this.tenancy.transaction(async (manager) => {
      const member = await this.store.getMember(id, { lock: true }, manager);
      if (patch.role && patch.role !== member.role && member.role === 'owner')
        await this.assertNotLastOwner(member, manager);
      const before = { name: member.name, role: member.role };
      Object.assign(member, {
        ...(patch.name ? { name: patch.name.trim() } : {}),
        ...(patch.role ? { role: patch.role } : {}),
      });
      await this.store.saveMember(member, manager);
      if (member.role !== 'sponsor') await this.store.clearGrants(member.id, manager);
      await this.audit.record(
        { action: 'member.updated', entityType: 'member', entityId: id, details: { before, after: patch } },
        manager,
      );
      const [view] = await this.withGrants([member], manager);
      return view;
    });
  }

  async remove(id: string): Promise<void> {
    this.tenancy.requireRole('owner');
    await this.tenancy.transaction(async (manager) => {
      const member = await this.store.getMember(id, { lock: true }, manager);
      if (member.role === 'owner') await this.assertNotLastOwner(member, manager);
      await this.store.removeMember(member, manager);
      await this.audit.record(
        { action: 'member.removed', entityType: 'member', entityId: id, details: { email: member.email } },
        manager,
      );
    });
  }

  /** A member's role in the actor's workspace; null when there is no such member. */
  async roleOf(id: string, manager?: EntityManager): Promise<MemberRole | null> {
    return (await this.store.findMember(id, manager))?.role ?? null;
  }

  /** Replaces a sponsor's granted organizations. */
  async setGrants(id: string, organizationIds: string[]): Promise<MemberView> {
    this.tenancy.requireRole('owner');
    return this.tenancy.transaction(async (manager) => {
      const member = await this.store.getMember(id, { lock: true }, manager);
      const granted = await this.writeGrants(member, organizationIds, manager);
      await this.audit.record(
        {
          action: 'member.grants_changed',
          entityType: 'member',
          entityId: id,
          details: { organizationIds: granted },
        },
        manager,
      );
      return { ...member, organizationIds: granted };
    });
  }

  private async writeGrants(
    member: Member,
    organizationIds: string[],
    manager: EntityManager,
  ): Promise<string[] | null> {
    if (member.role !== 'sponsor') {
      if (organizationIds.length) {
        throw new InvalidInputError('Only sponsors are granted organizations.', [
          { field: 'organizationIds', reason: 'only sponsors are granted organizations' },
        ]);
      }
      return null;
    }
    const unique = [...new Set(organizationIds)];
    const found = await this.organizations.findMany(unique, manager);
    const issues = organizationIds
      .map((id, index) => ({ id, index }))
      .filter(({ id }) => !found.some((o) => o.id === id))
      .map(({ index }) => ({ field: `organizationIds[${index}]`, reason: 'no such organization' }));
    if (issues.length) throw new InvalidInputError('Unknown organizations.', issues);
    await this.store.clearGrants(member.id, manager);
    for (const organizationId of unique) await this.store.addGrant(member.id, organizationId, manager);
    return unique;
  }

  private async withGrants(members: Member[], manager?: EntityManager): Promise<MemberView[]> {
    const sponsors = members.filter((m) => m.role === 'sponsor').map((m) => m.id);
    const grants = sponsors.length ? await this.store.grantsOf(sponsors, manager) : [];
    return members.map((m) => ({
      ...m,
      organizationIds:
        m.role === 'sponsor' ? grants.filter((g) => g.memberId === m.id).map((g) => g.organizationId) : null,
    }));
  }

  private async assertNotLastOwner(member: Member, manager: EntityManager): Promise<void> {
    const owners = await this.store.countMembers('owner', manager);
    if (owners <= 1)
      throw new ConflictError('A workspace keeps at least one owner.', { memberId: member.id });
  }

  /**
   * The members with these ids in the actor's workspace, by id, for any actor (a sponsor too): who wrote
   * or decided what the actor reads. Nulls and ids of no member of the workspace are left out.
   */
  async byIds(ids: (string | null)[], manager?: EntityManager): Promise<Map<string, Member>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    return new Map((await this.store.membersIn(wanted, manager)).map((m) => [m.id, m]));
  }
}
