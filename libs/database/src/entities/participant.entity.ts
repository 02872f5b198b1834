import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import type { Level, Locale } from './vocabulary';

/** A person in one or more pilots, reached by email. Emails are stored lower-cased. */
@Entity()
@Index(['workspaceId', 'email'], { unique: true })
export class Participant extends WorkspaceOwned {
  @Column('text')
  email: string;

  @Column('text')
  name: string;

  @Column('text')
  locale: string & Locale;

  @Column('text')
  timeZone: string;

  @Column('text')
  level: Level;

  @Column('timestamptz', { nullable: true })
  unsubscribedAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
