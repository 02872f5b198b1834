import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import { Participant } from './participant.entity';
import { Member } from './member.entity';
import { Quarter } from './quarter.entity';
import type { MailKind, OutboxStatus } from './vocabulary';

/**
 * One email that must be sent. Postgres holds it; the queue only executes it. The natural key
 * (quarter, step, recipient) is unique, so a step can never produce a second mail for a person.
 * No address or name is stored: they are read at send time, so erasure leaves nothing here.
 */
@Entity()
@Index(['key'], { unique: true })
@Index(['status', 'dueAt'])
@Index(['participantId', 'claimedAt'])
export class OutboxMessage extends WorkspaceOwned {
  @Column('text')
  key: string;

  @Index()
  @Column('uuid', { nullable: true })
  quarterId: string | null;

  @ManyToOne(() => Quarter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quarter_id' })
  quarter?: Quarter;

  @Column('uuid', { nullable: true })
  pilotId: string | null;

  @Column('text', { nullable: true })
  stepKey: string | null;

  @Column('text', { nullable: true })
  kind: MailKind | null;

  @Column('text')
  template: string;

  @Column('uuid', { nullable: true })
  participantId: string | null;

  @ManyToOne(() => Participant, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;

  @Column('uuid', { nullable: true })
  memberId: string | null;

  @ManyToOne(() => Member, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'member_id' })
  member?: Member;

  @Column('timestamptz')
  dueAt: Date;

  @Column('text', { default: 'pending' })
  status: OutboxStatus;

  /** Bumped each time the row is queued anew (after a deferral or a retry), so its job id is new. */
  @Column('integer', { default: 0 })
  generation: number;

  @Column('integer', { default: 0 })
  attempts: number;

  /** Set while a send is in flight; counts towards the weekly cap. */
  @Column('timestamptz', { nullable: true })
  claimedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  deferredUntil: Date | null;

  @Column('text', { nullable: true })
  deferredReason: string | null;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('text', { nullable: true })
  messageId: string | null;

  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;

  /** Set when a bounce for this message arrived (see `BounceService`), with its status and diagnostic. */
  @Column('timestamptz', { nullable: true })
  bouncedAt: Date | null;

  @Column('text', { nullable: true })
  bounceReason: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
