import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { Pilot } from './pilot.entity';
import { Quarter } from './quarter.entity';
import type { ReportStatus } from './vocabulary';
import { WorkspaceOwned } from './workspace-owned';

/**
 * A pilot quarter's learning report for the coach. One per quarter; each build request bumps
 * `generation` (the build job's natural key), and the built content is kept so the API serves it
 * without recomputing.
 */
@Entity()
@Index(['quarterId'], { unique: true })
export class LearningReport extends WorkspaceOwned {
  @Index()
  @Column('uuid')
  organizationId: string;

  @Index()
  @Column('uuid')
  pilotId: string;

  @ManyToOne(() => Pilot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pilot_id' })
  pilot?: Pilot;

  @Column('uuid')
  quarterId: string;

  @ManyToOne(() => Quarter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quarter_id' })
  quarter?: Quarter;

  @Column('text', { default: 'queued' })
  status: ReportStatus;

  @Column('integer', { default: 1 })
  generation: number;

  /** 0–100 while building, with the stage it is at, so a coach sees it move. */
  @Column('integer', { default: 0 })
  progress: number;

  @Column('text', { nullable: true })
  stage: string | null;

  /** The built report (see `LearningReportContent` in the domain library); null until built. */
  @Column('jsonb', { nullable: true })
  content: unknown;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('timestamptz')
  requestedAt: Date;

  @Column('timestamptz', { nullable: true })
  builtAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
