import { simpleParser } from 'mailparser';
import type { DataSource } from 'typeorm';

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
  async links(path: '/c/' | '/r/', emails: string[]): Promise<Map<string, string>> {
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
}
