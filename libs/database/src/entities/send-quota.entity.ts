import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Workspace } from './workspace.entity';

/**
 * A workspace's daily send quota and how much of today's it has used: participant mails begun in the
 * UTC day `day`. `dailyLimit` is set by the operator (`scripts/send-quota.js`); null, the installation's
 * default (DEFAULT_DAILY_SEND_QUOTA) applies. The row appears with the workspace's first participant
 * mail; the count starts again with each new day.
 */
@Entity()
export class SendQuota {
  @PrimaryColumn('uuid')
  workspaceId: string;

  @OneToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: Workspace;

  @Column('integer', { nullable: true })
  dailyLimit: number | null;

  @Column('date', { nullable: true })
  day: string | null;

  @Column('integer', { default: 0 })
  claimed: number;

  /** How many the last take got (one statement takes a batch; RETURNING cannot see the old count). */
  @Column('integer', { default: 0 })
  lastTaken: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
