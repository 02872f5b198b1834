import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OrganizationService } from '@luotsi/domain';
import { Authenticated } from '../common/auth';
import { ApiPage } from '../common/openapi';
import { Id, PageQuery } from '../common/params';
import { CreateOrganizationDto, OrganizationDto, UpdateOrganizationDto } from './organization.dto';

@ApiTags('organizations')
@Authenticated()
@Controller('organizations')
export class OrganizationController {
  constructor(private readonly organizations: OrganizationService) {}

  @Get()
  @ApiPage(OrganizationDto)
  list(@Query() page: PageQuery) {
    return this.organizations.list(page);
  }

  @Post()
  @ApiCreatedResponse({ type: OrganizationDto })
  create(@Body() body: CreateOrganizationDto) {
    return this.organizations.create(body);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrganizationDto })
  get(@Param('id', Id('organization')) id: string) {
    return this.organizations.get(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: OrganizationDto })
  update(@Param('id', Id('organization')) id: string, @Body() body: UpdateOrganizationDto) {
    return this.organizations.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('id', Id('organization')) id: string) {
    return this.organizations.remove(id);
  }
}
