import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { Organization } from './organization.entity';
import { WorkspaceOwned } from './workspace-owned';
import type { RolloutStatus } from './vocabulary';

/** One OKR roll-out project of an organization. */
@Entity()
export class Rollout extends WorkspaceOwned {
  @Index()
  @Column('uuid')
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  @Column('text')
  goal: string;

  @Column('integer')
  targetHeadcount: number;

  @Column('integer')
  plannedWaves: number;

  @Column('text', { default: 'planning' })
  status: RolloutStatus;

  /** Nudge hygiene: at most this many emails a participant in any 7 days. */
  @Column('integer', { default: 5 })
  weeklyEmailCap: number;

  /** No sends between these local times of the participant, `HH:MM` (the window may wrap midnight). */
  @Column('text', { default: '20:00' })
  quietHoursStart: string;

  @Column('text', { default: '07:00' })
  quietHoursEnd: string;

  /** The coach's readiness gate thresholds for this rollout; absent ones take the defaults. */
  @Column('jsonb', { default: {} })
  readinessThresholds: Record<string, number>;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
