import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BuiltReport } from './built-report';
import { Pilot } from './pilot.entity';
import { Quarter } from './quarter.entity';

/**
 * A pilot quarter's learning report for the coach. One per quarter; each build request bumps
 * `generation` (the build job's natural key) and builds it again.
 */
@Entity()
@Index(['quarterId'], { unique: true })
export class LearningReport extends BuiltReport {
  @Index()
  @Column('uuid')
  pilotId: string;

  @ManyToOne(() => Pilot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pilot_id' })
  pilot?: Pilot;

  @Column('uuid')
  quarterId: string;

  @ManyToOne(() => Quarter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quarter_id' })
  quarter?: Quarter;

  /** The stage a build is at, beside its progress. */
  @Column('text', { nullable: true })
  stage: string | null;

  @Column('timestamptz')
  requestedAt: Date;
}
