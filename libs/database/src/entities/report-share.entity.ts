import { Column, Entity, Index } from 'typeorm';
import type { ReportKind, ShareAudience } from './vocabulary';
import { WorkspaceOwned } from './workspace-owned';

/**
 * A link that opens one report without an account. The token is stored only as a hash; the link
 * expires, can be revoked, and shows the report as its audience may see it (a sponsor's view never
 * carries free text from groups under k).
 */
@Entity()
export class ReportShare extends WorkspaceOwned {
  @Index()
  @Column('uuid')
  organizationId: string;

  @Column('text')
  reportKind: ReportKind;

  /** A learning_report or readiness_report id, by `reportKind`. */
  @Index()
  @Column('uuid')
  reportId: string;

  @Column('text')
  audience: ShareAudience;

  @Index({ unique: true })
  @Column('text')
  tokenHash: string;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @Column('uuid', { nullable: true })
  createdById: string | null;
}
