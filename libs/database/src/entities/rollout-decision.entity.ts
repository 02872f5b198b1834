import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Member } from './member.entity';
import { ReadinessReport } from './readiness-report.entity';
import { Rollout } from './rollout.entity';
import type { RolloutDecisionKind } from './vocabulary';
import { WorkspaceOwned } from './workspace-owned';

/** A sponsor's decision on a readiness report: go, extend, adjust or stop; who, when and why. */
@Entity()
export class RolloutDecision extends WorkspaceOwned {
  @Index()
  @Column('uuid')
  organizationId: string;

  @Index()
  @Column('uuid')
  rolloutId: string;

  @ManyToOne(() => Rollout, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rollout_id' })
  rollout?: Rollout;

  @Column('uuid')
  readinessReportId: string;

  @ManyToOne(() => ReadinessReport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'readiness_report_id' })
  readinessReport?: ReadinessReport;

  @Column('text')
  decision: RolloutDecisionKind;

  @Column('text')
  reason: string;

  @Column('uuid', { nullable: true })
  decidedById: string | null;

  @ManyToOne(() => Member, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'decided_by_id' })
  decidedBy?: Member;

  @Column('timestamptz')
  decidedAt: Date;
}
