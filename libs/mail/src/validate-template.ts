import Handlebars from 'handlebars';
import { isTemplateName, TEMPLATE_CATALOGUE, type TemplateContent } from './template-catalogue';
import { isMailHelper, MAIL_HELPERS, type MailHelperName } from './helpers';

/** The shape of the domain's `InputIssue`, restated so this library depends on no other. */
export interface TemplateIssue {
  field: string;
  reason: string;
}

export const SUBJECT_MAX_LENGTH = 200;
export const BODY_MAX_LENGTH = 20_000;

/** The tags a body may use: text structure only, so an override cannot restyle or script the mail. */
export const BODY_TAGS = ['p', 'strong', 'em', 'ul', 'ol', 'li', 'a', 'h2'] as const;

/** Why a subject or body is not usable text: a non-empty string within its length; null when it is. */
function textIssue(value: unknown, maxLength: number): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (!value.trim()) return 'must not be empty';
  if (value.length > maxLength) return `must be at most ${maxLength} characters, got ${value.length}`;
  return null;
}

/**
 * Checks a workspace's override of a built-in template before it is saved or previewed: the syntax,
 * every variable and helper against what the template may use, and that nothing bypasses escaping.
 * Returns every issue at once; an empty list means the override renders like a built-in.
 */
export function validateTemplate(name: string, content: TemplateContent): TemplateIssue[] {
  if (!isTemplateName(name)) return [{ field: 'name', reason: `unknown template "${name}"` }];
  const definition = TEMPLATE_CATALOGUE[name];
  const issues: TemplateIssue[] = [];
  const report = (field: string, reasons: Iterable<string>) => {
    for (const reason of reasons) issues.push({ field, reason });
  };

  /** A subject or body that is usable text; else what is wrong is reported. */
  const isText = (field: 'subject' | 'body', value: unknown, maxLength: number): value is string => {
    const reason = textIssue(value, maxLength);
    if (reason) report(field, [reason]);
    return reason === null;
  };

  const subject: unknown = content?.subject;
  if (isText('subject', subject, SUBJECT_MAX_LENGTH)) {
    if (/[\r\n\u2028\u2029]/.test(subject)) report('subject', ['must be a single line']);
    const check = new TemplateCheck(definition.variables, 'subject');
    report('subject', check.run(subject));
  }

  const body: unknown = content?.body;
  if (isText('body', body, BODY_MAX_LENGTH)) {
    const check = new TemplateCheck(definition.variables, 'body');
    const reasons = check.run(body);
    report('body', reasons);
    if (check.parsed) {
      report(
        'body',
        htmlIssues(
          body,
          definition.variables.filter((v) => v.startsWith('links.')),
        ),
      );
      for (const variable of definition.required) {
        if (!check.output.has(variable)) {
          const hint = variable === 'links.action' ? `, e.g. {{button links.action "…"}}` : '';
          report('body', [`missing required variable "${variable}"${hint}`]);
        }
      }
    }
  }
  return issues;
}

type Use = 'output' | 'condition';

/** One walk over a parsed template; reasons are collected once each, in the order found. */
class TemplateCheck {
  readonly output = new Set<string>();
  parsed = false;
  private readonly reasons = new Set<string>();
  private readonly allowed: ReadonlySet<string>;

  constructor(
    private readonly variables: readonly string[],
    private readonly field: 'subject' | 'body',
  ) {
    this.allowed = new Set(variables);
  }

  run(source: string): string[] {
    let ast: hbs.AST.Program;
    try {
      ast = Handlebars.parse(source);
    } catch (error) {
      return [`syntax error: ${syntaxMessage(error)}`];
    }
    this.parsed = true;
    this.program(ast);
    return [...this.reasons];
  }

  private issue(reason: string): void {
    this.reasons.add(reason);
  }

  private program(program: hbs.AST.Program | undefined): void {
    for (const statement of program?.body ?? []) this.statement(statement);
  }

  private statement(node: hbs.AST.Statement): void {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        return this.mustache(node as hbs.AST.MustacheStatement);
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement);
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const { name } = node as hbs.AST.PartialStatement;
        const label = name.type === 'PathExpression' ? (name as hbs.AST.PathExpression).original : '(…)';
        return this.issue(`partials are not allowed ({{> ${label}}})`);
      }
      case 'Decorator':
      case 'DecoratorBlock':
        return this.issue('decorators ({{* …}}) are not allowed');
      default:
        return this.issue(`unsupported Handlebars construct (${node.type})`);
    }
  }

  private mustache(node: hbs.AST.MustacheStatement): void {
    if (node.path.type !== 'PathExpression') {
      return this.issue(`{{${literalText(node.path)}}} is not a variable`);
    }
    const path = node.path as hbs.AST.PathExpression;
    if (!node.escaped) {
      this.issue(
        `unescaped output ({{{${path.original}}}} or {{& ${path.original}}}) is not allowed; use {{${path.original}}}`,
      );
    }
    const helper = helperName(path);
    if (helper) return this.call(helper, node.params, node.hash, false);
    if (node.params.length || node.hash?.pairs.length) {
      this.unknownHelper(path.original);
      return this.params(node.params, 'output');
    }
    this.path(path, 'output');
  }

  private block(node: hbs.AST.BlockStatement): void {
    const helper = helperName(node.path);
    if (helper) this.call(helper, node.params, node.hash, true);
    else if (!node.params.length && node.path.type === 'PathExpression') {
      const name = node.path.original;
      this.issue(`sections such as {{#${name}}} are not supported; use {{#if ${name}}}`);
    } else {
      this.unknownHelper(node.path.original);
      this.params(node.params, 'condition');
    }
    this.program(node.program);
    this.program(node.inverse);
  }

  private call(
    name: MailHelperName,
    params: hbs.AST.Expression[],
    hash: hbs.AST.Hash | undefined,
    block: boolean,
  ) {
    const spec = MAIL_HELPERS[name];
    if (spec.block && !block) this.issue(`"${name}" must be used as a block: {{#${name} …}}…{{/${name}}}`);
    if (!spec.block && block) this.issue(`"${name}" is not a block helper; write {{${name} …}}`);
    if (name === 'button' && this.field === 'subject') this.issue('"button" belongs in the body');
    if (params.length !== spec.params) {
      this.issue(
        `"${name}" takes ${spec.params} argument${spec.params === 1 ? '' : 's'}, got ${params.length}`,
      );
    }
    if (hash?.pairs.length)
      this.issue(`named arguments (${hash.pairs.map((p) => p.key).join(', ')}) are not supported`);
    this.params(params, name === 'date' || name === 'button' ? 'output' : 'condition');
  }

  private params(params: hbs.AST.Expression[], use: Use): void {
    for (const param of params) this.expression(param, use);
  }

  private expression(node: hbs.AST.Expression, use: Use): void {
    if (node.type === 'PathExpression') return this.path(node as hbs.AST.PathExpression, use);
    if (node.type === 'SubExpression') {
      const sub = node as hbs.AST.SubExpression;
      const helper = helperName(sub.path);
      if (helper) return this.call(helper, sub.params, sub.hash, false);
      this.unknownHelper(sub.path.original);
      return this.params(sub.params, use);
    }
    // String, number, boolean, null and undefined literals are plain values.
  }

  private path(path: hbs.AST.PathExpression, use: Use): void {
    if (path.data) return this.issue(`data variables such as "${path.original}" are not allowed`);
    if (path.depth > 0) return this.issue(`parent paths such as "${path.original}" are not allowed`);
    if (!path.parts.length) return this.issue(`"${path.original}" is not allowed; name a variable`);
    const name = path.parts.join('.');
    if (!this.allowed.has(name)) {
      return this.issue(`unknown variable "${name}"; allowed: ${this.variables.join(', ')}`);
    }
    if (use === 'condition') return;
    if (this.variables.some((v) => v.startsWith(`${name}.`))) {
      return this.issue(`"${name}" is a group of values: test it with {{#if ${name}}}, output its fields`);
    }
    this.output.add(name);
  }

  private unknownHelper(name: string): void {
    this.issue(`unknown helper "${name}"; allowed: ${Object.keys(MAIL_HELPERS).join(', ')}`);
  }
}

function helperName(path: hbs.AST.PathExpression | hbs.AST.Literal): MailHelperName | null {
  if (path.type !== 'PathExpression') return null;
  const { parts, data, depth, original } = path as hbs.AST.PathExpression;
  return parts.length === 1 && !data && depth === 0 && original === parts[0] && isMailHelper(parts[0])
    ? parts[0]
    : null;
}

function literalText(node: hbs.AST.Expression): string {
  const value = (node as { original?: unknown }).original;
  return value === undefined ? node.type : JSON.stringify(value);
}

/** Handlebars' parse errors draw a caret over the source; keep the position and what was expected. */
function syntaxMessage(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n').filter(Boolean);
  return lines.length > 2 ? `${lines[0].replace(/:$/, '')}: ${lines[lines.length - 1]}` : lines.join(' ');
}

const TAG =
  /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/y;
const ATTRIBUTE = /([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const LINK = /^(https?:|mailto:)/i;
// Stands in for the n-th Handlebars expression, so `href="{{links.action}}"` reads as a web link.
const placeholder = (n: number) => `https://variable.invalid/${n}/`;
const PLACEHOLDERS = /https:\/\/variable\.invalid\/(\d+)\//g;
/** The one shape of a variable in a link: a link variable, output as it is. */
const LINK_VARIABLE = /^\{\{\s*(links\.[A-Za-z]+)\s*\}\}$/;

/**
 * The tags and attributes of a body, read with the Handlebars expressions replaced by a link. A link's
 * address may hold no variable but one of the template's `links` (`href="{{links.action}}"`), so an
 * override cannot make a link of a name, a label or anything else it was not meant for.
 */
function htmlIssues(body: string, linkVariables: readonly string[]): string[] {
  const expressions: string[] = [];
  const html = body
    .replace(/\{\{!--[\s\S]*?--\}\}/g, '')
    .replace(/\{\{[\s\S]*?\}\}\}?/g, (expression) => placeholder(expressions.push(expression) - 1));
  const reasons = new Set<string>();
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) {
    if (html.startsWith('<!--', at)) {
      const end = html.indexOf('-->', at);
      if (end === -1) break;
      at = end;
      continue;
    }
    if (!/^<\/?[a-zA-Z]/.test(html.slice(at, at + 3))) continue; // a lone "<" is text
    TAG.lastIndex = at;
    const tag = TAG.exec(html);
    if (!tag) {
      reasons.add(`malformed tag near "${html.slice(at, at + 30)}"`);
      continue;
    }
    const name = tag[2].toLowerCase();
    if (!(BODY_TAGS as readonly string[]).includes(name)) {
      reasons.add(`tag <${name}> is not allowed; use ${BODY_TAGS.join(', ')}`);
    }
    for (const [, attribute, ...values] of tag[3].matchAll(ATTRIBUTE)) {
      const key = attribute.toLowerCase();
      if (name !== 'a' || key !== 'href') {
        reasons.add(`attribute "${key}" on <${name}> is not allowed`);
        continue;
      }
      const value = (values.find((v) => v !== undefined) ?? '').trim();
      const original = value.replace(PLACEHOLDERS, (_, n: string) => expressions[Number(n)]);
      if (!LINK.test(value)) reasons.add(`link "${original}" must start with https:, http: or mailto:`);
      for (const [, n] of value.matchAll(PLACEHOLDERS)) {
        const expression = expressions[Number(n)];
        const variable = LINK_VARIABLE.exec(expression)?.[1];
        if (variable && linkVariables.includes(variable) && value === placeholder(Number(n))) continue;
        reasons.add(
          `link "${original}" may only be one of the link variables: ${linkVariables.map((v) => `{{${v}}}`).join(', ') || 'none in this template'}`,
        );
      }
    }
    at = TAG.lastIndex - 1;
  }
  return [...reasons];
}
