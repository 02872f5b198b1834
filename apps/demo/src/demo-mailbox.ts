import { simpleParser } from 'mailparser';
import type { DataSource } from 'typeorm';

/** The links people follow: check-ins, retrospectives, an account's confirmation and invitation. */
export type MailedPath = '/c/' | '/r/' | '/app/confirm/' | '/app/invitations/';

/** The captured mail, read the way people read theirs: what is new since the last look. */
export class DemoMailbox {
  private seen = new Date(0);

  constructor(private readonly db: DataSource) {}

  /** The database's clock, so that mail captured after this instant is new at the next look. */
  async now(): Promise<Date> {
    const [row] = await this.db.query(`SELECT now() AS now`);
    return row.now as Date;
  }

  /** Everything captured up to `until` counts as read. */
  readUntil(until: Date): void {
    this.seen = until;
  }

  /** Mail that reached these people since the last look, parsed, with the first link of `path`. */
  async links(path: MailedPath, emails: string[]): Promise<Map<string, string>> {
    const rows: { recipients: string[]; raw: string; created_at: Date }[] = await this.db.query(
      `SELECT recipients, raw, created_at FROM captured_mail WHERE created_at > $1 AND recipients && $2::text[]
       ORDER BY created_at`,
      [this.seen, emails],
    );
    const found = new Map<string, string>();
    const pattern = new RegExp(`https?://[^\\s"<>]+${path.replace(/\//g, '\\/')}[A-Za-z0-9_-]+`);
    for (const row of rows) {
      const parsed = await simpleParser(row.raw);
      const link = pattern.exec(parsed.text ?? '')?.[0];
      if (link) for (const email of row.recipients) found.set(email, new URL(link).pathname);
    }
    return found;
  }

  /**
   * The token of the link of `path` in the mail to `email`, waiting for it (an account's mail is sent
   * just after the answer that caused it).
   */
  async tokenFor(path: MailedPath, email: string, timeoutMs = 10_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const link = (await this.links(path, [email])).get(email);
      if (link) return link.slice(link.lastIndexOf('/') + 1);
      if (Date.now() > until) throw new Error(`no mail with a ${path} link reached ${email}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
