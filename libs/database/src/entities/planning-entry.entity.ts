import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { KeyResult } from './key-result.entity';
import { Objective } from './objective.entity';
import { Participant } from './participant.entity';
import { Quarter } from './quarter.entity';
import { WorkspaceOwned } from './workspace-owned';
import type { PlanningEntryKind, PlanningEntryStatus } from './vocabulary';

/**
 * What one participant said about a draft objective (`keyResultId` null) or one of its key results in
 * the planning dialogue: a comment, a proposed rewording, or an offer to own it. Signed: it keeps its
 * author, and the pilot's participants see the name. Its author may edit it while the dialogue is open;
 * the coach resolves it or accepts it.
 */
@Entity()
@Index(['quarterId', 'createdAt'])
// The daily digests find the entries of the day that ended, across quarters.
@Index(['createdAt'])
export class PlanningEntry extends WorkspaceOwned {
  /** The quarter being planned (the drafts' quarter). */
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
  objectiveId: string;

  @ManyToOne(() => Objective, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'objective_id' })
  objective?: Objective;

  @Index()
  @Column('uuid', { nullable: true })
  keyResultId: string | null;

  @ManyToOne(() => KeyResult, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'key_result_id' })
  keyResult?: KeyResult;

  @Index()
  @Column('uuid')
  participantId: string;

  @ManyToOne(() => Participant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;

  @Column('text')
  kind: PlanningEntryKind;

  /** The comment, or why the rewording or the offer (may be empty for those two). */
  @Column('text', { default: '' })
  body: string;

  /** The proposed title of a rewording; null for the other kinds. */
  @Column('text', { nullable: true })
  proposedTitle: string | null;

  @Column('text', { default: 'open' })
  status: PlanningEntryStatus;

  /** When the coach resolved or accepted it, and who. */
  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;

  @Column('uuid', { nullable: true })
  closedBy: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
