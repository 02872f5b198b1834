import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { OrganizationsModule } from '../organizations';
import { TemplateService } from './template.service';
import { TemplatesStore } from './templates.store';

/**
 * Mail templates (`message_template`): the built-in ones and a workspace's own versions of them (for the
 * workspace, an organization or a rollout), checked
 * on save and previewable. The outbox renders with them when it sends.
 */
@Module({
  imports: [AuditModule, OrganizationsModule],
  providers: [TemplatesStore, TemplateService],
  exports: [TemplateService],
})
export class TemplatesModule {}
