import { Injectable } from '@nestjs/common';
import { Locale, LOCALES, MessageTemplate } from '@luotsi/database';
import {
  isMailLocale,
  isTemplateName,
  MailRenderer,
  RenderedMail,
  TEMPLATE_CATALOGUE,
  TEMPLATE_CONTENT,
  TEMPLATE_NAMES,
  TEMPLATE_SAMPLES,
  TemplateContent,
  TemplateName,
  validateTemplate,
} from '@luotsi/mail';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { TemplatesStore } from './templates.store';

export interface TemplateView {
  name: TemplateName;
  locale: Locale;
  description: string;
  audience: string;
  variables: readonly string[];
  required: readonly string[];
  /** True when the workspace saved its own version. */
  overridden: boolean;
  subject: string;
  body: string;
}

/** The built-in templates and a workspace's own versions of them, checked on save, previewable. */
@Injectable()
export class TemplateService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: TemplatesStore,
    private readonly audit: AuditLog,
    private readonly renderer: MailRenderer,
  ) {}

  async list(): Promise<TemplateView[]> {
    const overrides = await this.store.overrides();
    return TEMPLATE_NAMES.flatMap((name) =>
      LOCALES.map((locale) =>
        this.view(
          name,
          locale,
          overrides.find((o) => o.name === name && o.locale === locale),
        ),
      ),
    );
  }

  async get(name: string, locale: string): Promise<TemplateView> {
    const [n, l] = this.parse(name, locale);
    return this.view(n, l, (await this.store.override(n, l)) ?? undefined);
  }

  /** Saves the workspace's version; an unknown variable, unescaped output or a syntax error is a 422. */
  async save(name: string, locale: string, content: TemplateContent): Promise<TemplateView> {
    const [n, l] = this.parse(name, locale);
    const issues = validateTemplate(n, content);
    if (issues.length) throw new InvalidInputError('The template is invalid; nothing was saved.', issues);
    this.preview(n, l, content); // renders with sample data: what cannot render is not saved
    return this.tenancy.transaction(async (manager) => {
      const existing = await this.store.override(n, l, manager);
      const by = this.tenancy.actor.memberId;
      const saved = existing
        ? await this.store.update(existing, content, by, manager)
        : await this.store.create(n, l, content, by, manager);
      await this.audit.record(
        { action: 'template.saved', entityType: 'template', entityId: `${n}/${l}` },
        manager,
      );
      return this.view(n, l, saved);
    });
  }

  /** Back to the built-in version. */
  async reset(name: string, locale: string): Promise<TemplateView> {
    const [n, l] = this.parse(name, locale);
    await this.tenancy.transaction(async (manager) => {
      const existing = await this.store.override(n, l, manager);
      if (existing) await this.store.remove(existing, manager);
      await this.audit.record(
        { action: 'template.reset', entityType: 'template', entityId: `${n}/${l}` },
        manager,
      );
    });
    return this.view(n, l, undefined);
  }

  /** Renders the given content (or the workspace's current version) with sample data. */
  async previewSaved(name: string, locale: string, content?: TemplateContent): Promise<RenderedMail> {
    const [n, l] = this.parse(name, locale);
    if (content) {
      const issues = validateTemplate(n, content);
      if (issues.length) throw new InvalidInputError('The template is invalid.', issues);
    }
    const current = content ?? (await this.store.override(n, l)) ?? undefined;
    return this.preview(n, l, current ? { subject: current.subject, body: current.body } : undefined);
  }

  private preview(name: TemplateName, locale: Locale, content?: TemplateContent): RenderedMail {
    try {
      return this.renderer.render(
        name,
        locale,
        TEMPLATE_SAMPLES[name] as unknown as Record<string, unknown>,
        content,
      );
    } catch (error) {
      throw new InvalidInputError('The template cannot be rendered.', [
        { field: 'body', reason: (error as Error).message },
      ]);
    }
  }

  private parse(name: string, locale: string): [TemplateName, Locale] {
    if (!isTemplateName(name)) throw new NotFoundError('template');
    if (!isMailLocale(locale)) throw new NotFoundError('template locale');
    return [name, locale];
  }

  private view(name: TemplateName, locale: Locale, override?: MessageTemplate): TemplateView {
    const definition = TEMPLATE_CATALOGUE[name];
    const content = override ?? TEMPLATE_CONTENT[name][locale];
    return {
      name,
      locale,
      description: definition.description,
      audience: definition.audience,
      variables: definition.variables,
      required: definition.required,
      overridden: Boolean(override),
      subject: content.subject,
      body: content.body,
    };
  }
}
