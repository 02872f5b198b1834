import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '@luotsi/config';
import { MEMBER_ROLES, type MemberRole } from '@luotsi/database';
import {
  ConflictError,
  InvalidInputError,
  MemberService,
  OrganizationService,
  type MemberView,
} from '@luotsi/domain';
import { textsFor } from '@luotsi/texts';
import { Roles } from '../../common/auth';
import { Id } from '../../common/params';
import { GrantsDto, InviteMemberDto, UpdateMemberDto } from '../../members/member.dto';
import { ConsolePages } from '../console-pages';
import { checkForm, fieldErrorsOf, list, str, type FieldError } from '../form';
import { languageOf, type ConsoleRequest } from '../page-context';

type Form = Record<string, unknown>;

/**
 * The workspace's members: who they are, their roles and, for sponsors, the organizations they read;
 * inviting someone (the one-time link is shown once), changing a role or grants, removing a member.
 * Owners only: members hold the keys to the workspace.
 */
@ApiExcludeController()
@Roles('owner')
@Controller('app/members')
export class MembersPagesController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly members: MemberService,
    private readonly organizations: OrganizationService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async index(@Req() request: ConsoleRequest, @Res() response: Response, @Query('removed') removed?: string) {
    const [{ items }, names] = await Promise.all([
      this.members.list({ limit: 200, offset: 0 }),
      this.organizationNames(),
    ]);
    const t = textsFor(languageOf(request));
    this.pages.send(request, response, 'owner/members', 'owner:members.title', {
      members: items.map((member) => this.row(member, names)),
      flash: removed === '1' ? t('owner:members.removed') : undefined,
    });
  }

  @Get('invite')
  async invitePage(@Req() request: ConsoleRequest, @Res() response: Response) {
    await this.sendInvite(request, response, { role: 'coach', organizationIds: [] });
  }

  @Post('invite')
  async invite(@Body() body: Form, @Req() request: ConsoleRequest, @Res() response: Response) {
    const language = languageOf(request);
    const t = textsFor(language);
    const labels = this.labels(t);
    const role = str(body.role);
    // Grants belong to sponsors only; boxes ticked before switching to another role are not meant.
    const organizationIds = role === 'sponsor' ? list(body.organizationIds) : [];
    const values = { email: str(body.email), name: str(body.name), role, organizationIds };
    const again = (errors: FieldError[], status: number) =>
      this.sendInvite(request, response, values, errors, status);
    const form = await checkForm(
      InviteMemberDto,
      { email: values.email.trim(), name: values.name.trim(), role, organizationIds },
      language,
      labels,
    );
    if (!form.value) return again(form.errors, 422);
    try {
      const invitation = await this.members.invite(form.value);
      const days = Math.max(1, Math.round(this.config.auth.invitationTtlHours / 24));
      this.pages.send(request, response, 'owner/invited', 'owner:invited.title', {
        member: invitation.member,
        roleLabel: t(`common:roles.${invitation.member.role}`),
        days,
        expiresAt: invitation.expiresAt,
      });
    } catch (error) {
      if (error instanceof ConflictError)
        return again([{ field: 'email', message: t('owner:invite.emailInUse') }], 409);
      if (error instanceof InvalidInputError) return again(this.grantErrors(error, labels), 422);
      throw error;
    }
  }

  @Get(':id')
  async show(
    @Param('id', Id('member')) id: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
    @Query('saved') saved?: string,
  ) {
    const member = await this.members.get(id);
    const t = textsFor(languageOf(request));
    await this.sendMember(request, response, member, {
      values: { role: member.role, organizationIds: member.organizationIds ?? [] },
      flash: saved === '1' ? t('owner:member.saved') : undefined,
    });
  }

  /** One form for the role and a sponsor's organizations: the role first, as it decides the grants. */
  @Post(':id')
  async update(
    @Param('id', Id('member')) id: string,
    @Body() body: Form,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const language = languageOf(request);
    const t = textsFor(language);
    const labels = this.labels(t);
    const member = await this.members.get(id);
    const role = str(body.role);
    const organizationIds = role === 'sponsor' ? list(body.organizationIds) : [];
    const again = (errors: FieldError[], status: number) =>
      this.sendMember(request, response, member, { values: { role, organizationIds }, errors }, status);
    const roleForm = await checkForm(UpdateMemberDto, { role }, language, labels);
    if (!roleForm.value) return again(roleForm.errors, 422);
    const grantsForm = await checkForm(GrantsDto, { organizationIds }, language, labels);
    if (!grantsForm.value) return again(grantsForm.errors, 422);
    try {
      if (role !== member.role) await this.members.update(id, { role: role as MemberRole });
      if (role === 'sponsor') await this.members.setGrants(id, grantsForm.value.organizationIds);
      this.pages.redirect(response, `/app/members/${id}?saved=1`);
    } catch (error) {
      if (error instanceof ConflictError)
        return again([{ field: 'role', message: t('owner:member.lastOwner') }], 409);
      if (error instanceof InvalidInputError) return again(this.grantErrors(error, labels), 422);
      throw error;
    }
  }

  /** Check your answers before the member is removed: it cannot be undone. */
  @Get(':id/remove')
  async removePage(
    @Param('id', Id('member')) id: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const member = await this.members.get(id);
    this.sendRemove(request, response, member);
  }

  @Post(':id/remove')
  async remove(
    @Param('id', Id('member')) id: string,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const member = await this.members.get(id);
    try {
      await this.members.remove(id);
    } catch (error) {
      if (error instanceof ConflictError) {
        const t = textsFor(languageOf(request));
        return this.sendRemove(
          request,
          response,
          member,
          [{ field: '', message: t('owner:member.lastOwner') }],
          409,
        );
      }
      throw error;
    }
    this.pages.redirect(response, '/app/members?removed=1');
  }

  private sendRemove(
    request: ConsoleRequest,
    response: Response,
    member: MemberView,
    errors: FieldError[] = [],
    status = 200,
  ) {
    const t = textsFor(languageOf(request));
    this.pages.send(
      request,
      response,
      'owner/member-remove',
      'owner:remove.title',
      { member, roleLabel: t(`common:roles.${member.role}`), errors, name: member.name },
      status,
    );
  }

  private async sendMember(
    request: ConsoleRequest,
    response: Response,
    member: MemberView,
    data: { values: { role: string; organizationIds: string[] }; errors?: FieldError[]; flash?: string },
    status = 200,
  ) {
    const t = textsFor(languageOf(request));
    const organizations = await this.organizationOptions(data.values.organizationIds);
    const names = new Map(organizations.map((o) => [o.id, o.name]));
    this.pages.send(
      request,
      response,
      'owner/member',
      'owner:member.title',
      {
        ...data,
        name: member.name,
        member: this.row(member, names),
        roles: this.roleOptions(t, data.values.role),
        organizations,
        self: member.id === request.actor?.memberId,
      },
      status,
    );
  }

  private async sendInvite(
    request: ConsoleRequest,
    response: Response,
    values: { email?: string; name?: string; role: string; organizationIds: string[] },
    errors: FieldError[] = [],
    status = 200,
  ) {
    const t = textsFor(languageOf(request));
    this.pages.send(
      request,
      response,
      'owner/invite',
      'owner:invite.title',
      {
        values,
        errors,
        roles: this.roleOptions(t, values.role),
        organizations: await this.organizationOptions(values.organizationIds),
      },
      status,
    );
  }

  private roleOptions(t: ReturnType<typeof textsFor>, chosen: string) {
    return MEMBER_ROLES.map((role) => ({
      value: role,
      label: t(`common:roles.${role}`),
      hint: t(`owner:roles.${role}`),
      checked: role === chosen,
    }));
  }

  private async organizationOptions(chosen: string[]) {
    const { items } = await this.organizations.list({ limit: 200, offset: 0 });
    return items.map((o) => ({ id: o.id, name: o.name, checked: chosen.includes(o.id) }));
  }

  private async organizationNames(): Promise<Map<string, string>> {
    const { items } = await this.organizations.list({ limit: 200, offset: 0 });
    return new Map(items.map((o) => [o.id, o.name]));
  }

  private row(member: MemberView, names: Map<string, string>) {
    return {
      id: member.id,
      name: member.name,
      email: member.email,
      role: member.role,
      active: Boolean(member.acceptedAt),
      sponsor: member.role === 'sponsor',
      organizations: (member.organizationIds ?? []).map((id) => names.get(id) ?? id),
    };
  }

  private labels(t: ReturnType<typeof textsFor>): Record<string, string> {
    return {
      email: t('owner:invite.email'),
      name: t('owner:invite.name'),
      role: t('owner:invite.role'),
      organizationIds: t('owner:invite.organizations'),
    };
  }

  /** The domain names a refused grant by its index (`organizationIds[0]`); the form has one group. */
  private grantErrors(error: InvalidInputError, labels: Record<string, string>): FieldError[] {
    const issues = error.issues.map((issue) => ({
      ...issue,
      field: issue.field.startsWith('organizationIds') ? 'organizationIds' : issue.field,
    }));
    return fieldErrorsOf(new InvalidInputError(error.message, issues), labels);
  }
}
