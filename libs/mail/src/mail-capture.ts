/** A message as sent, kept for the development inbox when no SMTP server is configured. */
export interface CapturedMessage {
  messageId: string;
  recipients: string[];
  subject: string;
  /** The whole MIME message. */
  raw: string;
}

/**
 * Where `MailTransport` keeps what it would have sent when there is no `SMTP_URL`. The mail library
 * knows no database: whoever imports `MailModule.forRoot` provides this port (the domain's development
 * inbox does).
 */
export abstract class MailCapture {
  abstract capture(message: CapturedMessage): Promise<void>;
}
