import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { LOCALES, type Locale } from '@luotsi/database';
import { TemplateService } from '@luotsi/domain';
import { TEMPLATE_NAMES } from '@luotsi/mail';
import { Authenticated, Roles } from '../common/auth';

export class TemplateContentDto {
  @ApiProperty({ example: '{{recipient.firstName}}, what matters most in {{quarter.label}}?' })
  @IsString()
  @MaxLength(200)
  subject: string;
  @ApiProperty({ example: '<p>Hi {{recipient.firstName}},</p>' }) @IsString() @MaxLength(20_000) body: string;
}

/** A version to save, for the workspace or (one of the ids) an organization or a rollout. */
class SaveTemplateDto extends TemplateContentDto {
  @ApiPropertyOptional({ format: 'uuid', description: "The organization's own version" })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "The rollout's own version (not with organizationId)" })
  @IsOptional()
  @IsUUID()
  rolloutId?: string;
}

class PreviewDto {
  @ApiProperty({ enum: TEMPLATE_NAMES }) @IsIn(TEMPLATE_NAMES) name: string;
  @ApiProperty({ enum: LOCALES }) @IsIn(LOCALES) locale: Locale;
  @ApiPropertyOptional({ description: 'Render this instead of the saved version' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20_000) body?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "What applies to this organization's mail" })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "What applies to this rollout's mail" })
  @IsOptional()
  @IsUUID()
  rolloutId?: string;
}

/** Where an override applies: the workspace (neither), one organization, or one rollout; the most specific wins. */
export class TemplateScopeQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "The organization's own version" })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "The rollout's own version (not with organizationId)" })
  @IsOptional()
  @IsUUID()
  rolloutId?: string;
}

/**
 * Message templates: the built-ins, a workspace's own versions (checked on save) — for the whole
 * workspace or, with `organizationId` or `rolloutId` (query of GET and DELETE, body of PUT and the
 * preview), one client or one rollout — and a preview.
 */
@ApiTags('templates')
@Authenticated()
@Roles('owner', 'coach')
@Controller('templates')
export class TemplateController {
  constructor(private readonly templates: TemplateService) {}

  @Get()
  @ApiOkResponse({
    description: 'Every template in every locale, with its variables and whether it is overridden',
  })
  list(@Query() scope: TemplateScopeQuery) {
    return this.templates.list(scope);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{ subject, html, text }` rendered with sample data' })
  preview(@Body() body: PreviewDto) {
    const scope = { organizationId: body.organizationId, rolloutId: body.rolloutId };
    const content =
      body.subject !== undefined || body.body !== undefined
        ? { subject: body.subject ?? '', body: body.body ?? '' }
        : undefined;
    return this.templates.previewSaved(body.name, body.locale, content, scope);
  }

  @Get(':name/:locale')
  @ApiOkResponse({ description: 'The template as it applies to the scope, and where its text comes from' })
  get(@Param('name') name: string, @Param('locale') locale: string, @Query() scope: TemplateScopeQuery) {
    return this.templates.get(name, locale, scope);
  }

  @Put(':name/:locale')
  save(@Param('name') name: string, @Param('locale') locale: string, @Body() body: SaveTemplateDto) {
    const { organizationId, rolloutId, ...content } = body;
    return this.templates.save(name, locale, content, { organizationId, rolloutId });
  }

  @Delete(':name/:locale')
  @ApiOkResponse({ description: "Back to the next version that applies (the workspace's, or the built-in)" })
  reset(@Param('name') name: string, @Param('locale') locale: string, @Query() scope: TemplateScopeQuery) {
    return this.templates.reset(name, locale, scope);
  }
}
