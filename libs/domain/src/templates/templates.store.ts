import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { Locale, MessageTemplate } from '@luotsi/database';
import type { TemplateContent, TemplateName } from '@luotsi/mail';
import { Tenancy } from '../tenancy/tenancy.service';

/** Where an override applies: the whole workspace (neither id), one organization, or one rollout. */
export interface TemplateScope {
  organizationId?: string;
  rolloutId?: string;
}

/** The rows of exactly this scope. */
const scoped = (scope: TemplateScope) => ({
  organizationId: scope.organizationId ?? IsNull(),
  rolloutId: scope.rolloutId ?? IsNull(),
});

/**
 * A workspace's own versions of the built-in templates (`message_template`), for the workspace, an
 * organization or a rollout: the only code that reads or writes them, in the actor's scope (`Tenancy.repo`).
 */
@Injectable()
export class TemplatesStore {
  constructor(private readonly tenancy: Tenancy) {}

  private templates(manager?: EntityManager) {
    return this.tenancy.repo(MessageTemplate, 'template', manager);
  }

  /** Every version the workspace saved, of every scope. */
  overrides(): Promise<MessageTemplate[]> {
    return this.templates().find();
  }

  /** The version of one template in one language saved for exactly this scope, if any. */
  override(
    name: TemplateName,
    locale: Locale,
    scope: TemplateScope = {},
    manager?: EntityManager,
  ): Promise<MessageTemplate | null> {
    return this.templates(manager).findOne({ name, locale, ...scoped(scope) });
  }

  /** Stores new content over a saved version, by whom. */
  update(
    existing: MessageTemplate,
    content: TemplateContent,
    updatedById: string | null,
    manager?: EntityManager,
  ): Promise<MessageTemplate> {
    return this.templates(manager).save(Object.assign(existing, content, { updatedById }));
  }

  /** Saves the workspace's first version of the template in that language. */
  create(
    name: TemplateName,
    locale: Locale,
    scope: TemplateScope,
    content: TemplateContent,
    updatedById: string | null,
    manager?: EntityManager,
  ): Promise<MessageTemplate> {
    return this.templates(manager).create({
      name,
      locale,
      organizationId: scope.organizationId ?? null,
      rolloutId: scope.rolloutId ?? null,
      ...content,
      updatedById,
    });
  }

  remove(template: MessageTemplate, manager?: EntityManager): Promise<void> {
    return this.templates(manager).remove(template);
  }
}
