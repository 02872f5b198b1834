import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CapturedMail } from '@luotsi/database';
import type { CapturedMessage } from '@luotsi/mail';

/**
 * The development inbox's table (`captured_mail`): the only code that reads or writes it. Captured mail
 * belongs to no workspace (it exists only where nothing is sent), so nothing here is scoped.
 */
@Injectable()
export class DevInboxStore {
  constructor(private readonly dataSource: DataSource) {}

  async insert(message: CapturedMessage): Promise<void> {
    await this.dataSource.getRepository(CapturedMail).insert(message);
  }

  /** The newest messages first, `limit` at most. */
  latest(limit: number): Promise<CapturedMail[]> {
    return this.dataSource.getRepository(CapturedMail).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  get(id: string): Promise<CapturedMail | null> {
    return this.dataSource.getRepository(CapturedMail).findOneBy({ id });
  }

  /** Removes every message sent to this address. */
  async deleteTo(email: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM captured_mail WHERE $1 = ANY(recipients)`, [email]);
  }
}
