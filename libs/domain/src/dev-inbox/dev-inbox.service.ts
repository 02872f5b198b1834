import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CapturedMail } from '@luotsi/database';
import { CapturedMessage, MailCapture } from '@luotsi/mail';
import { NotFoundError } from '../common/errors';
import { DevInboxStore } from './dev-inbox.store';

/** How many messages the inbox page lists. */
const SHOWN = 500;

/**
 * The development inbox: where the mail transport keeps what it would have sent without `SMTP_URL`
 * (it is the mail library's `MailCapture`), what `/dev/inbox` shows, and what an erasure removes.
 */
@Injectable()
export class DevInboxService implements MailCapture {
  constructor(private readonly store: DevInboxStore) {}

  capture(message: CapturedMessage): Promise<void> {
    return this.store.insert(message);
  }

  /** The newest messages, first to last. */
  latest(): Promise<CapturedMail[]> {
    return this.store.latest(SHOWN);
  }

  async message(id: string): Promise<CapturedMail> {
    const row = await this.store.get(id);
    if (!row) throw new NotFoundError('message');
    return row;
  }

  /** A person is erased: the whole messages sent to them go, in the erasing transaction. */
  forgetRecipient(email: string, manager: EntityManager): Promise<void> {
    return this.store.deleteTo(email, manager);
  }
}
