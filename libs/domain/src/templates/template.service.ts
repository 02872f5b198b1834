import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
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
import { OrganizationService, RolloutService } from '../organizations';
import { TemplateScope, TemplatesStore } from './templates.store';

export type { TemplateScope } from './templates.store';

export type TemplateSource = 'builtin' | 'workspace' | 'organization' | 'rollout';

export interface TemplateView {
  name: TemplateName;
  locale: Locale;
  description: string;
  audience: string;
  variables: readonly string[];
  required: readonly string[];
  /** The scope asked for. */
  scope: Exclude<TemplateSource, 'builtin'>;
  /** True when a version was saved for exactly this scope. */
  overridden: boolean;
  /** Where the content shown comes from: the most specific version that applies to the scope. */
  source: TemplateSource;
  subject: string;
  body: string;
}

/**
 * The built-in templates and a workspace's own versions of them — for the whole workspace, one
 * organization or one rollout, the most specific applying when a mail goes — checked on save, previewable.
 */
@Injectable()
export class TemplateService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: TemplatesStore,
    private readonly audit: AuditLog,
    private readonly renderer: MailRenderer,
    private readonly organizations: OrganizationService,
    private readonly rollouts: RolloutService,
  ) {}

  /** Every template in every language as it applies to the scope (the workspace when left out). */
  async list(scope: TemplateScope = {}): Promise<TemplateView[]> {
    const chain = await this.chainOf(scope);
    const overrides = await this.store.overrides();
    return TEMPLATE_NAMES.flatMap((name) =>
      LOCALES.map((locale) =>
        this.view(
          name,
          locale,
          chain,
          overrides.filter((o) => o.name === name && o.locale === locale),
        ),
      ),
    );
  }

  async get(name: string, locale: string, scope: TemplateScope = {}): Promise<TemplateView> {
    const [n, l] = this.parse(name, locale);
    const chain = await this.chainOf(scope);
    return this.view(n, l, chain, await this.applicable(n, l, chain));
  }

  /**
   * Saves the scope's version; an unknown variable, unescaped output or a syntax error is a 422, and so
   * is a scope naming both an organization and a rollout.
   */
  async save(
    name: string,
    locale: string,
    content: TemplateContent,
    scope: TemplateScope = {},
  ): Promise<TemplateView> {
    const [n, l] = this.parse(name, locale);
    const issues = validateTemplate(n, content);
    if (issues.length) throw new InvalidInputError('The template is invalid; nothing was saved.', issues);
    this.preview(n, l, content); // renders with sample data: what cannot render is not saved
    const chain = await this.chainOf(scope);
    return this.tenancy.transaction(async (manager) => {
      const existing = await this.store.override(n, l, scope, manager);
      const by = this.tenancy.actor.memberId;
      if (existing) await this.store.update(existing, content, by, manager);
      else await this.store.create(n, l, scope, content, by, manager);
      await this.audit.record(
        {
          action: 'template.saved',
          entityType: 'template',
          entityId: `${n}/${l}`,
          details: chain[0].scope === 'workspace' ? undefined : { ...scope },
        },
        manager,
      );
      return this.view(n, l, chain, await this.applicable(n, l, chain, manager));
    });
  }

  /** Drops the scope's version: the next one that applies (or the built-in) is used again. */
  async reset(name: string, locale: string, scope: TemplateScope = {}): Promise<TemplateView> {
    const [n, l] = this.parse(name, locale);
    const chain = await this.chainOf(scope);
    return this.tenancy.transaction(async (manager) => {
      const existing = await this.store.override(n, l, scope, manager);
      if (existing) await this.store.remove(existing, manager);
      await this.audit.record(
        {
          action: 'template.reset',
          entityType: 'template',
          entityId: `${n}/${l}`,
          details: chain[0].scope === 'workspace' ? undefined : { ...scope },
        },
        manager,
      );
      return this.view(n, l, chain, await this.applicable(n, l, chain, manager));
    });
  }

  /** Renders the given content (or what applies to the scope now) with sample data. */
  async previewSaved(
    name: string,
    locale: string,
    content?: TemplateContent,
    scope: TemplateScope = {},
  ): Promise<RenderedMail> {
    const [n, l] = this.parse(name, locale);
    if (content) {
      const issues = validateTemplate(n, content);
      if (issues.length) throw new InvalidInputError('The template is invalid.', issues);
    }
    const chain = await this.chainOf(scope);
    const current = content ?? mostSpecific(await this.applicable(n, l, chain), chain);
    return this.preview(n, l, current ? { subject: current.subject, body: current.body } : undefined);
  }

  /**
   * The scopes that apply to a mail of the scope, most specific first: a rollout's, its organization's,
   * the workspace's. The organization or rollout must be the workspace's (else 404).
   */
  private async chainOf(scope: TemplateScope): Promise<ScopeLink[]> {
    if (scope.organizationId && scope.rolloutId)
      throw new InvalidInputError('A template override is for an organization or a rollout, not both.', [
        { field: 'rolloutId', reason: 'give either organizationId or rolloutId' },
      ]);
    const workspace: ScopeLink = { scope: 'workspace', organizationId: null, rolloutId: null };
    if (scope.rolloutId) {
      const rollout = await this.rollouts.get(scope.rolloutId);
      return [
        { scope: 'rollout', organizationId: null, rolloutId: rollout.id },
        { scope: 'organization', organizationId: rollout.organizationId, rolloutId: null },
        workspace,
      ];
    }
    if (scope.organizationId) {
      const organization = await this.organizations.get(scope.organizationId);
      return [{ scope: 'organization', organizationId: organization.id, rolloutId: null }, workspace];
    }
    return [workspace];
  }

  /** The saved versions of the template in the language along the chain. */
  private async applicable(
    name: TemplateName,
    locale: Locale,
    chain: ScopeLink[],
    manager?: EntityManager,
  ): Promise<MessageTemplate[]> {
    const found = await Promise.all(
      chain.map((link) =>
        this.store.override(
          name,
          locale,
          { organizationId: link.organizationId ?? undefined, rolloutId: link.rolloutId ?? undefined },
          manager,
        ),
      ),
    );
    return found.filter((t): t is MessageTemplate => t !== null);
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

  /** The template as it applies to the chain's first scope, given saved versions (of any scope). */
  private view(
    name: TemplateName,
    locale: Locale,
    chain: ScopeLink[],
    saved: MessageTemplate[],
  ): TemplateView {
    const definition = TEMPLATE_CATALOGUE[name];
    const override = mostSpecific(saved, chain);
    const content = override ?? TEMPLATE_CONTENT[name][locale];
    return {
      name,
      locale,
      description: definition.description,
      audience: definition.audience,
      variables: definition.variables,
      required: definition.required,
      scope: chain[0].scope,
      overridden: Boolean(override && sameScope(override, chain[0])),
      source: override ? chain.find((link) => sameScope(override, link))!.scope : 'builtin',
      subject: content.subject,
      body: content.body,
    };
  }
}

interface ScopeLink {
  scope: Exclude<TemplateSource, 'builtin'>;
  organizationId: string | null;
  rolloutId: string | null;
}

const sameScope = (template: MessageTemplate, link: ScopeLink) =>
  (template.organizationId ?? null) === link.organizationId &&
  (template.rolloutId ?? null) === link.rolloutId;

/** Of the saved versions, the one of the chain's most specific scope; undefined when none applies. */
const mostSpecific = (saved: MessageTemplate[], chain: ScopeLink[]): MessageTemplate | undefined => {
  for (const link of chain) {
    const found = saved.find((template) => sameScope(template, link));
    if (found) return found;
  }
  return undefined;
};
