import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import type { Locale } from './vocabulary';

/** A workspace's override of a built-in template in one locale; checked against its variables on save. */
@Entity()
@Index(['workspaceId', 'name', 'locale'], { unique: true })
export class MessageTemplate extends WorkspaceOwned {
  @Column('text')
  name: string;

  @Column('text')
  locale: Locale;

  @Column('text')
  subject: string;

  @Column('text')
  body: string;

  @Column('uuid', { nullable: true })
  updatedById: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
