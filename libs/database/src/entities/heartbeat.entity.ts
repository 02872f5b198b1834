import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A heartbeat job's trace: proof that a worker consumed a job, and when. */
@Entity()
export class Heartbeat {
  /** The job's natural key, which is also its BullMQ job id. */
  @PrimaryColumn('text')
  key: string;

  /** The workspace whose owner asked for the beat; null for the worker's own scheduled beats. */
  @Column('uuid', { nullable: true })
  workspaceId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  enqueuedAt: Date;

  @Column('timestamptz', { nullable: true })
  startedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  processedAt: Date | null;

  @Column('integer', { nullable: true })
  workerPid: number | null;

  @Column('integer', { default: 0 })
  attempts: number;
}
