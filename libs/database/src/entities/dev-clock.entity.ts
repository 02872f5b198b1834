import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Development only (never read in production): how far the clock of the running API and worker is moved
 * from the system's, one row (`id` 1) set by `POST /dev/clock`.
 */
@Entity()
export class DevClock {
  @PrimaryColumn('integer', { primaryKeyConstraintName: 'PK_dev_clock' })
  id: number;

  /** Milliseconds added to the system clock; a bigint, read as a string. */
  @Column('bigint')
  offsetMs: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
