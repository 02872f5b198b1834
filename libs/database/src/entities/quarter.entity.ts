import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Pilot } from './pilot.entity';
import { WorkspaceOwned } from './workspace-owned';
import type { QuarterState } from './vocabulary';

/** The n-th quarter of a pilot, with its calendar dates in the organization's time zone. */
@Entity()
@Index(['pilotId', 'number'], { unique: true })
export class Quarter extends WorkspaceOwned {
  @Column('uuid')
  pilotId: string;

  @ManyToOne(() => Pilot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pilot_id' })
  pilot?: Pilot;

  @Index()
  @Column('uuid')
  organizationId: string;

  /** 1 for the pilot's first quarter. */
  @Column('integer')
  number: number;

  /** The calendar quarter, e.g. `2027-Q1`. */
  @Column('text')
  label: string;

  /** First and last calendar day, in the organization's time zone. */
  @Column('date')
  startsOn: string;

  @Column('date')
  endsOn: string;

  /** The instants of local midnight at the start and just after the end (exclusive). */
  @Column('timestamptz')
  startsAt: Date;

  @Column('timestamptz')
  endsAt: Date;

  @Column('text', { default: 'upcoming' })
  state: QuarterState;

  @Column('timestamptz', { nullable: true })
  activatedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;
}
