import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { Rollout } from './rollout.entity';
import type { ReadinessVerdict, ReportStatus } from './vocabulary';
import { WorkspaceOwned } from './workspace-owned';

/**
 * A rollout's readiness report for its sponsors: the gates, the verdict and the proposed next wave as
 * they stood when built. Every build is a new row, so a decision always points at what it was based on.
 */
@Entity()
export class ReadinessReport extends WorkspaceOwned {
  @Index()
  @Column('uuid')
  organizationId: string;

  @Index()
  @Column('uuid')
  rolloutId: string;

  @ManyToOne(() => Rollout, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rollout_id' })
  rollout?: Rollout;

  @Column('text', { default: 'queued' })
  status: ReportStatus;

  /** The build job's natural key with the row id; bumped only when a lost job is queued anew. */
  @Column('integer', { default: 1 })
  generation: number;

  @Column('integer', { default: 0 })
  progress: number;

  @Column('text', { nullable: true })
  verdict: ReadinessVerdict | null;

  /** The built report (see `ReadinessReportContent` in the domain library); null until built. */
  @Column('jsonb', { nullable: true })
  content: unknown;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('timestamptz', { nullable: true })
  builtAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
