import { Check, Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { Participant } from './participant.entity';
import { Quarter } from './quarter.entity';
import { WorkspaceOwned } from './workspace-owned';
import type { Level } from './vocabulary';

/** An objective of a pilot's quarter. Titles are unique within the quarter (the CSV import matches on them). */
@Entity()
@Index(['quarterId', 'title'], { unique: true })
@Check('CHK_objective_final_score', '"final_score" BETWEEN 0 AND 1')
export class Objective extends WorkspaceOwned {
  @Column('uuid')
  quarterId: string;

  @ManyToOne(() => Quarter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quarter_id' })
  quarter?: Quarter;

  /** Copied from the quarter, so reports and sponsors' grants need no join. */
  @Index()
  @Column('uuid')
  pilotId: string;

  @Index()
  @Column('uuid')
  organizationId: string;

  @Column('text')
  title: string;

  @Column('text', { default: '' })
  description: string;

  /** A participant of the pilot; null means the whole pilot group owns it. */
  @Index()
  @Column('uuid', { nullable: true })
  ownerId: string | null;

  @ManyToOne(() => Participant, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id' })
  owner?: Participant;

  @Column('text', { nullable: true })
  level: Level | null;

  /** Order within the quarter, from 0. */
  @Column('integer', { default: 0 })
  position: number;

  /** The objective of an earlier quarter this one carries forward (set by the carry-over). */
  @Index()
  @Column('uuid', { nullable: true })
  carriedFromId: string | null;

  @ManyToOne(() => Objective, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'carried_from_id' })
  carriedFrom?: Objective;

  /** The mean of its key results' final scores, recomputed whenever one changes; null until one is scored. */
  @Column('double precision', { nullable: true })
  finalScore: number | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
