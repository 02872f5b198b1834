import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MemberService } from '@luotsi/domain';
import { Authenticated } from '../common/auth';
import { ApiPage } from '../common/openapi';
import { Id, PageQuery } from '../common/params';
import { GrantsDto, InviteMemberDto, MemberDto, UpdateMemberDto } from './member.dto';

@ApiTags('members')
@Authenticated()
@Controller('members')
export class MemberController {
  constructor(private readonly members: MemberService) {}

  @Get()
  @ApiPage(MemberDto)
  list(@Query() page: PageQuery) {
    return this.members.list(page);
  }

  @Post()
  @ApiCreatedResponse({
    description:
      'The invited member and when its link expires; the link is mailed to the invited address only',
  })
  invite(@Body() body: InviteMemberDto) {
    return this.members.invite(body);
  }

  @Post(':id/invitation')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'A fresh invitation link mailed to a member who has not accepted yet (earlier links stop working); 409 once accepted',
  })
  resendInvitation(@Param('id', Id('member')) id: string) {
    return this.members.resendInvitation(id);
  }

  @Get(':id')
  @ApiOkResponse({ type: MemberDto })
  get(@Param('id', Id('member')) id: string) {
    return this.members.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: MemberDto })
  update(@Param('id', Id('member')) id: string, @Body() body: UpdateMemberDto) {
    return this.members.update(id, body);
  }

  @Put(':id/organizations')
  @ApiOkResponse({ type: MemberDto })
  grant(@Param('id', Id('member')) id: string, @Body() body: GrantsDto) {
    return this.members.setGrants(id, body.organizationIds);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('id', Id('member')) id: string) {
    return this.members.remove(id);
  }
}
