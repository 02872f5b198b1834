import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Locale, MessageTemplate } from '@luotsi/database';
import type { TemplateContent, TemplateName } from '@luotsi/mail';
import { Tenancy } from '../tenancy/tenancy.service';

/**
 * A workspace's own versions of the built-in templates (`message_template`): the only code that reads or
 * writes them, in the actor's scope (`Tenancy.repo`).
 */
@Injectable()
export class TemplatesStore {
  constructor(private readonly tenancy: Tenancy) {}

  private templates(manager?: EntityManager) {
    return this.tenancy.repo(MessageTemplate, 'template', manager);
  }

  /** Every version the workspace saved. */
  overrides(): Promise<MessageTemplate[]> {
    return this.templates().find();
  }

  /** The workspace's version of one template in one language, if it saved one. */
  override(name: TemplateName, locale: Locale, manager?: EntityManager): Promise<MessageTemplate | null> {
    return this.templates(manager).findOne({ name, locale });
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
    content: TemplateContent,
    updatedById: string | null,
    manager?: EntityManager,
  ): Promise<MessageTemplate> {
    return this.templates(manager).create({ name, locale, ...content, updatedById });
  }

  remove(template: MessageTemplate, manager?: EntityManager): Promise<void> {
    return this.templates(manager).remove(template);
  }
}
