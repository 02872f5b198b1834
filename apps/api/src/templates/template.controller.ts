import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
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

class PreviewDto {
  @ApiProperty({ enum: TEMPLATE_NAMES }) @IsIn(TEMPLATE_NAMES) name: string;
  @ApiProperty({ enum: LOCALES }) @IsIn(LOCALES) locale: Locale;
  @ApiPropertyOptional({ description: 'Render this instead of the saved version' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20_000) body?: string;
}

/** Message templates: the built-ins, a workspace's own versions (checked on save), and a preview. */
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
  list() {
    return this.templates.list();
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ description: '`{ subject, html, text }` rendered with sample data' })
  preview(@Body() body: PreviewDto) {
    const content =
      body.subject !== undefined || body.body !== undefined
        ? { subject: body.subject ?? '', body: body.body ?? '' }
        : undefined;
    return this.templates.previewSaved(body.name, body.locale, content);
  }

  @Get(':name/:locale')
  get(@Param('name') name: string, @Param('locale') locale: string) {
    return this.templates.get(name, locale);
  }

  @Put(':name/:locale')
  save(@Param('name') name: string, @Param('locale') locale: string, @Body() body: TemplateContentDto) {
    return this.templates.save(name, locale, body);
  }

  @Delete(':name/:locale')
  @ApiOkResponse({ description: 'Back to the built-in version' })
  reset(@Param('name') name: string, @Param('locale') locale: string) {
    return this.templates.reset(name, locale);
  }
}
