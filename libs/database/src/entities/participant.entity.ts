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

  /** Set when the person's mail came back for good (a bounce); they get no more mail until it is cleared. */
  @Column('timestamptz', { nullable: true })
  bouncedAt: Date | null;

  /** The bounce's status and diagnostic, as the receiving server gave them. */
  @Column('text', { nullable: true })
  bounceReason: string | null;

  /** The outbox message that bounced. */
  @Column('uuid', { nullable: true })
  bouncedMail: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
