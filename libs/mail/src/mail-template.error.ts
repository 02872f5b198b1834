import type { TemplateIssue } from './validate-template';

/** A template that cannot be rendered: unknown, invalid, or missing a variable in the data. */
export class MailTemplateError extends Error {
  override name = 'MailTemplateError';

  constructor(
    message: string,
    readonly issues: TemplateIssue[] = [],
  ) {
    super(message);
  }
}
