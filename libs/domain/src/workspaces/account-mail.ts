import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@luotsi/config';
import type { Locale } from '@luotsi/database';
import {
  AccountTemplateName,
  MailRenderer,
  MailTransport,
  senderDomain,
  type TemplateData,
} from '@luotsi/mail';

type AccountMailName = AccountTemplateName | 'member-invitation';

/** The language of account mail when neither the person nor the request names one. */
export const ACCOUNT_MAIL_DEFAULT_LOCALE: Locale = 'en';

/**
 * The mail of accounts (the sign-up address's confirmation, the notice to an existing account, a
 * password reset, a member's invitation): sent by the API at once over the same transport as the
 * outbox (SMTP, or the development inbox without `SMTP_URL`), in the person's language. Not outbox
 * rows: each carries a fresh single-use link made for this one message, is about a login rather than
 * a pilot, and must go even while the workspace's own mail is held. A failed send is logged (without
 * the address) and the person asks again: each of these links can be asked for anew.
 */
@Injectable()
export class AccountMail {
  private readonly logger = new Logger(AccountMail.name);
  private readonly domain: string;

  constructor(
    private readonly renderer: MailRenderer,
    private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {
    this.domain = senderDomain(config.mail.from);
  }

  /** An absolute link to a console path. */
  link(path: string): string {
    return `${this.config.http.publicBaseUrl}${path}`;
  }

  /** Renders and sends; resolves either way, true when the message went. */
  async send<N extends AccountMailName>(
    template: N,
    to: { email: string; locale: Locale | null | undefined },
    data: TemplateData<N>,
  ): Promise<boolean> {
    try {
      const mail = this.renderer.render(template, to.locale ?? ACCOUNT_MAIL_DEFAULT_LOCALE, data);
      await this.transport.send({
        to: to.email,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: `<account-${randomUUID()}@${this.domain}>`,
        headers: { 'X-Luotsi-Message': `account:${template}` },
      });
      return true;
    } catch (error) {
      this.logger.warn(`${template} mail not sent: ${withoutAddresses(String((error as Error).message))}`);
      return false;
    }
  }

  /**
   * Sends without making the caller wait: for the answers that must not tell, by their timing, whether
   * an address has an account.
   */
  dispatch<N extends AccountMailName>(
    template: N,
    to: { email: string; locale: Locale | null | undefined },
    data: TemplateData<N>,
  ): void {
    void this.send(template, to, data);
  }
}

/** Email addresses out of a log line. */
const withoutAddresses = (text: string): string =>
  text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '[address]');

export const firstName = (name: string): string => name.trim().split(/\s+/)[0] ?? name;
