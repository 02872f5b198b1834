import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ReportKind, ShareAudience } from './vocabulary';
import { Workspace } from './workspace.entity';

/**
 * A report printed to PDF, kept so a second request for the same build is not printed again: one per
 * report generation, language, audience and channel (a share link's view may differ from an account's).
 * A new generation is printed afresh and the older ones are dropped then; an erasure's redaction drops
 * the report's PDFs with it.
 */
@Entity()
export class ReportPdf {
  /** A learning_report or readiness_report id, by `reportKind`. */
  @PrimaryColumn('uuid')
  reportId: string;

  @PrimaryColumn('integer')
  generation: number;

  @PrimaryColumn('text')
  language: string;

  @PrimaryColumn('text')
  audience: ShareAudience;

  /** `account` (a member's request) or `link` (a share link). */
  @PrimaryColumn('text')
  channel: string;

  @Column('text')
  reportKind: ReportKind;

  @Column('uuid')
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Column('bytea')
  pdf: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
