import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { compile as compileHtmlToText } from 'html-to-text';
import { MAIL_HELPERS, registerMailHelpers } from './helpers';
import { FOOTERS, HEADERS, LAYOUT } from './layout';
import { MailTemplateError } from './mail-template.error';
import {
  isMailLocale,
  isMailTemplateName,
  isTemplateName,
  MAIL_LOCALES,
  MAIL_TEMPLATE_NAMES,
  TEMPLATE_CATALOGUE,
  type MailTemplateName,
  type MailAudience,
  type MailLocale,
  type TemplateContent,
  type TemplateData,
  type TemplateName,
} from './template-catalogue';
import { TEMPLATE_SAMPLES } from './template-samples';
import { TEMPLATE_CONTENT } from './templates';
import { validateTemplate } from './validate-template';

/** One message, ready for the transport: a single-line subject and both parts from one source. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type Part = 'subject' | 'body' | 'layout';

interface Compiled {
  source: string;
  render: HandlebarsTemplateDelegate;
}

interface CompiledContent {
  subject: Compiled;
  body: Compiled;
}

const KNOWN_HELPERS = Object.fromEntries(Object.keys(MAIL_HELPERS).map((name) => [name, true]));
// Strict: a missing variable throws instead of sending a message with a hole in it.
const HTML_OPTIONS: CompileOptions = { strict: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true };
// A subject is plain text in a header, never HTML: escaping would show "&amp;" to the reader.
const SUBJECT_OPTIONS: CompileOptions = { ...HTML_OPTIONS, noEscape: true };
const OVERRIDE_CACHE_SIZE = 200;

/**
 * Renders a template in a locale into `{subject, html, text}`. Every built-in template is compiled
 * and rendered with its sample data at construction, so a broken template stops the app at boot.
 */
@Injectable()
export class MailRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly builtIn = new Map<string, CompiledContent>();
  private readonly overrides = new Map<string, CompiledContent>();
  private readonly layout: Compiled;
  private readonly headers: Record<MailAudience, Compiled>;
  private readonly footers: Record<MailLocale, Record<MailAudience, Compiled>>;
  private readonly toText = compileHtmlToText({
    wordwrap: 78,
    selectors: [
      { selector: 'a', options: { linkBrackets: ['[', ']'], hideLinkHrefIfSameAsText: true } },
      { selector: 'h2', options: { uppercase: false, leadingLineBreaks: 2 } },
      { selector: 'table', format: 'block' },
      { selector: 'tr', format: 'block' },
      { selector: 'td', format: 'block' },
    ],
  });

  constructor() {
    registerMailHelpers(this.handlebars);
    this.layout = this.compile(LAYOUT, { ...HTML_OPTIONS, preventIndent: true });
    const audiences = Object.keys(HEADERS) as MailAudience[];
    const perAudience = (source: (audience: MailAudience) => string) =>
      Object.fromEntries(audiences.map((a) => [a, this.compile(source(a), HTML_OPTIONS)])) as Record<
        MailAudience,
        Compiled
      >;
    this.headers = perAudience((audience) => HEADERS[audience]);
    this.footers = Object.fromEntries(
      MAIL_LOCALES.map((locale) => [locale, perAudience((audience) => FOOTERS[locale][audience])]),
    ) as Record<MailLocale, Record<MailAudience, Compiled>>;
    for (const name of MAIL_TEMPLATE_NAMES) {
      for (const locale of MAIL_LOCALES) {
        this.builtIn.set(`${name}:${locale}`, this.compileContent(TEMPLATE_CONTENT[name][locale]));
        this.render(name, locale, TEMPLATE_SAMPLES[name]);
      }
    }
  }

  /**
   * Typed data for callers that build it in code; loose data (as stored with an outbox message) is
   * checked at render time instead, where strict mode throws on anything missing. `override` is a
   * workspace's own subject and body, validated first and refused with its issues, so it can use
   * nothing a built-in could not.
   */
  render<N extends MailTemplateName>(
    name: N,
    locale: MailLocale,
    data: TemplateData<N>,
    override?: TemplateContent,
  ): RenderedMail;
  render(
    name: MailTemplateName,
    locale: MailLocale,
    data: Record<string, unknown>,
    override?: TemplateContent,
  ): RenderedMail;
  render(name: MailTemplateName, locale: MailLocale, data: object, override?: TemplateContent): RenderedMail {
    if (!isMailTemplateName(name)) {
      throw new MailTemplateError(
        `Unknown mail template "${name}"; known: ${MAIL_TEMPLATE_NAMES.join(', ')}.`,
      );
    }
    // The account's own mail is never a workspace's to change.
    if (override && !isTemplateName(name)) {
      throw new MailTemplateError(`The template "${name}" cannot be overridden.`);
    }
    if (!isMailLocale(locale)) {
      throw new MailTemplateError(`Unknown mail locale "${locale}"; known: ${MAIL_LOCALES.join(', ')}.`);
    }
    const definition = TEMPLATE_CATALOGUE[name];
    for (const variable of definition.required) {
      if (valueAt(data, variable) === undefined) {
        throw new MailTemplateError(`Cannot render "${name}" (${locale}): missing variable "${variable}".`);
      }
    }
    const content =
      override && isTemplateName(name)
        ? this.compileOverride(name, override)
        : this.builtIn.get(`${name}:${locale}`)!;
    const context = { name, locale };
    const options = { data: { locale } };

    const subject = singleLine(
      this.run(context, 'subject', [content.subject], () => content.subject.render(data, options)),
    );
    const body = this.run(context, 'body', [content.body], () => content.body.render(data, options));
    const header = this.headers[definition.audience];
    const footer = this.footers[locale][definition.audience];
    const html = this.run(context, 'layout', [this.layout, header, footer], () =>
      this.layout.render(data, {
        data: { locale, subject },
        partials: {
          header: header.render,
          footer: footer.render,
          body: () => body,
        },
      }),
    );
    return { subject, html, text: this.toText(html) };
  }

  private compile(source: string, options: CompileOptions): Compiled {
    return { source, render: this.handlebars.compile(source, options) };
  }

  private compileContent(content: TemplateContent): CompiledContent {
    return {
      subject: this.compile(content.subject, SUBJECT_OPTIONS),
      body: this.compile(content.body, HTML_OPTIONS),
    };
  }

  private compileOverride(name: TemplateName, override: TemplateContent): CompiledContent {
    const key = JSON.stringify([name, override.subject, override.body]);
    const cached = this.overrides.get(key);
    if (cached) return cached;
    const issues = validateTemplate(name, override);
    if (issues.length) {
      const reasons = issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ');
      throw new MailTemplateError(`The override of "${name}" is invalid: ${reasons}`, issues);
    }
    const compiled = this.compileContent(override);
    // Overrides come from the database and repeat for every recipient; keep the recent ones compiled.
    if (this.overrides.size >= OVERRIDE_CACHE_SIZE)
      this.overrides.delete(this.overrides.keys().next().value!);
    this.overrides.set(key, compiled);
    return compiled;
  }

  private run(
    { name, locale }: { name: MailTemplateName; locale: MailLocale },
    part: Part,
    templates: Compiled[],
    render: () => string,
  ): string {
    try {
      return render();
    } catch (error) {
      throw new MailTemplateError(
        `Cannot render "${name}" (${locale}) ${part}: ${describe(error, templates)}`,
      );
    }
  }
}

/** Header injection is impossible when the subject has no line breaks or other control characters. */
function singleLine(subject: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what a header must not carry
  const controls = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;
  return subject
    .replace(controls, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

function valueAt(data: unknown, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Handlebars reports a strict-mode miss as `"firstName" not defined in [object Object] - 2:10`, the
 * position of the path; read the whole path there, so the message names `recipient.firstName`.
 */
function describe(error: unknown, templates: Compiled[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const miss = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/.exec(message);
  if (!miss) return message;
  const [, name, line, column] = miss;
  for (const { source } of templates) {
    const text = (source.split('\n')[Number(line) - 1] ?? '').slice(Number(column));
    const expression = /^[^\s{}~()]+/.exec(text)?.[0];
    if (expression === name || expression?.endsWith(`.${name}`)) return `missing variable "${expression}"`;
  }
  return `missing variable "${name}"`;
}
