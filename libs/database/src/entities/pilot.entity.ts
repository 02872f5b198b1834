import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { Member } from './member.entity';
import { Rollout } from './rollout.entity';
import { RolloutDecision } from './rollout-decision.entity';
import { WorkspaceOwned } from './workspace-owned';
import type { Level, PilotState } from './vocabulary';

/** A pilot group of a rollout, moving through its quarters. */
@Entity()
export class Pilot extends WorkspaceOwned {
  @Index()
  @Column('uuid')
  rolloutId: string;

  /** Copied from the rollout so that a sponsor's grants scope pilots without a join. */
  @Index()
  @Column('uuid')
  organizationId: string;

  @Column('text')
  name: string;

  @Column('integer')
  waveNumber: number;

  @Column('text', { array: true })
  levels: Level[];

  @Column('text', { default: '' })
  charterScope: string;

  @Column('text', { default: '' })
  charterSuccessCriteria: string;

  @Column('date', { nullable: true })
  charterDecisionDate: string | null;

  @Column('uuid', { nullable: true })
  coachId: string | null;

  @ManyToOne(() => Rollout, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'rollout_id' })
  rollout?: Rollout;

  @ManyToOne(() => Member, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'coach_id' })
  coach?: Member;

  /** The calendar quarter of the pilot's first quarter, e.g. `2027-Q1`. */
  @Column('text')
  startQuarter: string;

  @Column('integer', { default: 4 })
  quarterCount: number;

  @Column('text', { default: 'planned' })
  state: PilotState;

  /** How many participants the pilot was planned for (a next wave's proposed size); null if never said. */
  @Column('integer', { nullable: true })
  plannedSize: number | null;

  /** The sponsors' `go` decision this pilot was created from as the rollout's next wave, if it was. */
  @Index()
  @Column('uuid', { nullable: true })
  decisionId: string | null;

  @ManyToOne(() => RolloutDecision, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decision_id' })
  decision?: RolloutDecision;

  /** At a quarter's end, wait for the coach's review instead of advancing by itself. */
  @Column('boolean', { default: false })
  waitForReview: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
