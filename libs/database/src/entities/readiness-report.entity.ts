import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BuiltReport } from './built-report';
import { Rollout } from './rollout.entity';
import type { ReadinessVerdict } from './vocabulary';

/**
 * A rollout's readiness report for its sponsors: the gates, the verdict and the proposed next wave as
 * they stood when built. Every build is a new row, so a decision always points at what it was based on;
 * `generation` is bumped only when a lost build job is queued anew.
 */
@Entity()
export class ReadinessReport extends BuiltReport {
  @Index()
  @Column('uuid')
  rolloutId: string;

  @ManyToOne(() => Rollout, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rollout_id' })
  rollout?: Rollout;

  @Column('text', { nullable: true })
  verdict: ReadinessVerdict | null;
}
