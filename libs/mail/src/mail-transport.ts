import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { AppConfig } from '@luotsi/config';
import { MailCapture } from './mail-capture';

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per outbox row, so a resend after a crash is recognisable as the same message. */
  messageId: string;
  headers: Record<string, string>;
  /** The envelope sender (MAIL FROM, the Return-Path) where bounces go; unset, MAIL_FROM's address. */
  envelopeFrom?: string;
}

export interface SendResult {
  messageId: string;
  response: string;
}

/**
 * An SMTP refusal or a connection failure, classified: 5xx is permanent, the rest is worth retrying, and so
 * is a refusal of the sender's own credentials.
 */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'MailDeliveryError';
  }
}

type Sender = {
  sendMail(mail: object): Promise<{ messageId: string; response?: string; message?: Buffer | string }>;
  close(): void;
};

/**
 * Sends mail over pooled SMTP (`SMTP_URL`), or, without it, captures each message for the development
 * inbox (`MailCapture`). Both paths build the real MIME message with nodemailer.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly sender: Sender;
  readonly captures: boolean;

  constructor(
    private readonly config: AppConfig,
    private readonly captured: MailCapture,
  ) {
    this.captures = !config.mail.smtpUrl;
    this.sender = config.mail.smtpUrl
      ? (createTransport({
          url: config.mail.smtpUrl,
          pool: true,
          maxConnections: config.mail.poolSize,
          maxMessages: 500,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        }) as unknown as Sender)
      : (createTransport({ streamTransport: true, buffer: true, newline: 'crlf' }) as unknown as Sender);
  }

  async send(mail: OutgoingMail): Promise<SendResult> {
    try {
      const info = await this.sender.sendMail({
        from: this.config.mail.from,
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: mail.messageId,
        headers: mail.headers,
        ...(mail.envelopeFrom ? { envelope: { from: mail.envelopeFrom, to: [mail.to] } } : {}),
      });
      if (this.captures) await this.capture(mail, info.message);
      return { messageId: info.messageId, response: info.response ?? 'captured' };
    } catch (error) {
      throw classify(error);
    }
  }

  private async capture(mail: OutgoingMail, message: Buffer | string | undefined): Promise<void> {
    await this.captured.capture({
      messageId: mail.messageId,
      recipients: [mail.to],
      subject: mail.subject,
      raw: Buffer.isBuffer(message) ? message.toString('utf8') : String(message ?? ''),
    });
  }

  onApplicationShutdown(): void {
    this.sender.close();
  }
}

/** The address part of MAIL_FROM's domain, for Message-IDs. */
export function senderDomain(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match ? match[1] : 'luotsi.localhost';
}

/** Replies about the sender's authentication (RFC 4954): 530 required, 534 too weak, 535 wrong, 538 needs TLS. */
const SENDER_REFUSED = new Set([530, 534, 535, 538]);

function classify(error: unknown): MailDeliveryError {
  if (error instanceof MailDeliveryError) return error;
  const e = error as { responseCode?: number; response?: string; message?: string; code?: string };
  const reason = (e.response ?? e.message ?? String(error)).trim().slice(0, 1000);
  // The server refused our own credentials (EAUTH, 530, 535…): a setting to mend, not this mail's fault,
  // so it is retried like a temporary refusal rather than failing the whole send-out for good.
  if (e.code === 'EAUTH' || SENDER_REFUSED.has(e.responseCode as number)) {
    return new MailDeliveryError(reason, false, e.responseCode);
  }
  if (typeof e.responseCode === 'number') {
    return new MailDeliveryError(reason, e.responseCode >= 500 && e.responseCode < 600, e.responseCode);
  }
  // No SMTP reply at all: connection refused, timeout, TLS trouble. The server never said no.
  return new MailDeliveryError(`${e.code ?? 'ERROR'}: ${reason}`, false);
}
