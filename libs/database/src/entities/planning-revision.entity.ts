import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { PlanningEntry } from './planning-entry.entity';
import { Quarter } from './quarter.entity';
import { WorkspaceOwned } from './workspace-owned';

/**
 * A draft's wording before the coach accepted a rewording from the dialogue: the history of an
 * objective's or key result's title (no foreign key to them, so the history outlives a deleted draft).
 */
@Entity()
export class PlanningRevision extends WorkspaceOwned {
  @Index()
  @Column('uuid')
  quarterId: string;

  @ManyToOne(() => Quarter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quarter_id' })
  quarter?: Quarter;

  @Index()
  @Column('uuid')
  objectiveId: string;

  /** Null when the objective's own title changed. */
  @Index()
  @Column('uuid', { nullable: true })
  keyResultId: string | null;

  @Column('text')
  previousTitle: string;

  @Column('text')
  newTitle: string;

  /** The rewording accepted; null once that entry is gone (its author erased). */
  @Column('uuid', { nullable: true })
  entryId: string | null;

  @ManyToOne(() => PlanningEntry, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'entry_id' })
  entry?: PlanningEntry;

  /** The member who accepted it. */
  @Column('uuid', { nullable: true })
  acceptedBy: string | null;
}
