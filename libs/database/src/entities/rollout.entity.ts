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

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
