import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { Organization } from './organization.entity';
import { Rollout } from './rollout.entity';
import { WorkspaceOwned } from './workspace-owned';
import type { Locale } from './vocabulary';

/**
 * An override of a built-in template in one locale, checked against its variables on save: for the
 * whole workspace, one organization (`organizationId`) or one rollout (`rolloutId`); the most specific
 * one applies when a mail is sent.
 */
@Entity()
@Index(['workspaceId', 'name', 'locale'], {
  unique: true,
  where: '"organization_id" IS NULL AND "rollout_id" IS NULL',
})
@Index(['organizationId', 'name', 'locale'], { unique: true, where: '"organization_id" IS NOT NULL' })
@Index(['rolloutId', 'name', 'locale'], { unique: true, where: '"rollout_id" IS NOT NULL' })
export class MessageTemplate extends WorkspaceOwned {
  @Column('uuid', { nullable: true })
  organizationId: string | null;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  @Column('uuid', { nullable: true })
  rolloutId: string | null;

  @ManyToOne(() => Rollout, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rollout_id' })
  rollout?: Rollout;

  @Column('text')
  name: string;

  @Column('text')
  locale: Locale;

  @Column('text')
  subject: string;

  @Column('text')
  body: string;

  @Column('uuid', { nullable: true })
  updatedById: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
