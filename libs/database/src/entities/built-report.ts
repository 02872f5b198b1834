import { Column, Index, UpdateDateColumn } from 'typeorm';
import type { ReportStatus } from './vocabulary';
import { WorkspaceOwned } from './workspace-owned';

/**
 * What every built report has: a status the worker moves from `queued` through `building` to `ready`
 * or `failed`, the generation that is its build job's natural key, and the content once built, kept so
 * the API serves it without recomputing.
 */
export abstract class BuiltReport extends WorkspaceOwned {
  @Index()
  @Column('uuid')
  organizationId: string;

  @Column('text', { default: 'queued' })
  status: ReportStatus;

  @Column('integer', { default: 1 })
  generation: number;

  /** 0–100 while building, so a reader sees it move. */
  @Column('integer', { default: 0 })
  progress: number;

  /** The built report (its shape is in the domain library's report-content); null until built. */
  @Column('jsonb', { nullable: true })
  content: unknown;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('timestamptz', { nullable: true })
  builtAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
