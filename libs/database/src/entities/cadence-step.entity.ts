import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import { Rollout } from './rollout.entity';
import type { Audience, StepAnchor, StepKind } from './vocabulary';

/**
 * One step of a rollout's own cadence plan. A rollout without steps follows the default plan.
 * `key` is stable across edits: it is part of every outbox key, so moving a step never sends it twice.
 */
@Entity()
@Index(['rolloutId', 'key'], { unique: true })
export class CadenceStep extends WorkspaceOwned {
  @Column('uuid')
  rolloutId: string;

  @ManyToOne(() => Rollout, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rollout_id' })
  rollout?: Rollout;

  @Column('text')
  key: string;

  @Column('integer')
  position: number;

  @Column('text')
  kind: StepKind;

  /** Days are counted from the quarter's first day (`start`) or its last day (`end`). */
  @Column('text')
  anchor: StepAnchor;

  @Column('integer')
  offsetDays: number;

  /** Local time of day in the recipient's time zone, `HH:MM`. */
  @Column('text')
  sendTime: string;

  @Column('text')
  template: string;

  @Column('text')
  audience: Audience;
}
