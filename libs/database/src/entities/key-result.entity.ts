import { Check, Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { Objective } from './objective.entity';
import { Participant } from './participant.entity';
import { WorkspaceOwned } from './workspace-owned';
import type { KeyResultKind, KeyResultMeasure } from './vocabulary';

/**
 * A key result of an objective. A `metric` moves from `startValue` towards `targetValue` (a target below
 * the start means lower is better); a `milestone` or `binary` result is done or not. `currentValue`,
 * `done` and `confidence` hold the latest recorded state; weekly check-ins will reference this row.
 */
@Entity()
@Index(['objectiveId', 'title'], { unique: true })
@Check('CHK_key_result_confidence', '"confidence" BETWEEN 0 AND 10')
@Check('CHK_key_result_final_score', '"final_score" BETWEEN 0 AND 1')
export class KeyResult extends WorkspaceOwned {
  @Column('uuid')
  objectiveId: string;

  @ManyToOne(() => Objective, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'objective_id' })
  objective?: Objective;

  /** Copied from the objective, so check-ins and reports select a quarter's key results directly. */
  @Index()
  @Column('uuid')
  quarterId: string;

  @Index()
  @Column('uuid')
  pilotId: string;

  @Index()
  @Column('uuid')
  organizationId: string;

  @Column('text')
  title: string;

  @Column('text', { default: 'committed' })
  kind: KeyResultKind;

  @Column('text')
  measure: KeyResultMeasure;

  @Column('double precision', { nullable: true })
  startValue: number | null;

  @Column('double precision', { nullable: true })
  targetValue: number | null;

  @Column('text', { default: '' })
  unit: string;

  @Column('double precision', { nullable: true })
  currentValue: number | null;

  @Column('boolean', { default: false })
  done: boolean;

  /** A participant of the pilot; null when the objective's owner answers for it. */
  @Index()
  @Column('uuid', { nullable: true })
  ownerId: string | null;

  @ManyToOne(() => Participant, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id' })
  owner?: Participant;

  /** The latest confidence, 0–10. */
  @Column('integer', { nullable: true })
  confidence: number | null;

  /** When the current value, done flag or confidence was last recorded. */
  @Column('timestamptz', { nullable: true })
  recordedAt: Date | null;

  @Column('double precision', { nullable: true })
  finalScore: number | null;

  @Column('timestamptz', { nullable: true })
  scoredAt: Date | null;

  /** Order within the objective, from 0. */
  @Column('integer', { default: 0 })
  position: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
