import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import { Quarter } from './quarter.entity';
import type { AnonymityMode, RetrospectiveState } from './vocabulary';

/** A retrospective run of a pilot's quarter, with a snapshot of its questions. One per quarter. */
@Entity()
@Index(['quarterId'], { unique: true })
export class Retrospective extends WorkspaceOwned {
  @Column('uuid')
  quarterId: string;

  @ManyToOne(() => Quarter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quarter_id' })
  quarter?: Quarter;

  @Index()
  @Column('uuid')
  pilotId: string;

  @Index()
  @Column('uuid')
  organizationId: string;

  /** Where the questions came from (`builtin:…` or a question set id); the snapshot is what counts. */
  @Column('text')
  questionSetRef: string;

  @Column('jsonb')
  questions: unknown[];

  @Column('text')
  anonymity: AnonymityMode;

  /** No breakdown is shown for a group with fewer responses than this (never below 3). */
  @Column('integer', { default: 5 })
  minGroupSize: number;

  @Column('text', { default: 'open' })
  state: RetrospectiveState;

  @Column('timestamptz')
  openedAt: Date;

  @Column('timestamptz')
  closesAt: Date;

  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;
}
