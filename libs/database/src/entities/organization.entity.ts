import { Column, Entity, UpdateDateColumn } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import type { Locale, QuietPeriod, Sector } from './vocabulary';

/** A client organisation being coached. */
@Entity()
export class Organization extends WorkspaceOwned {
  @Column('text')
  name: string;

  @Column('text')
  sector: Sector;

  @Column('integer')
  headcount: number;

  @Column('text', { default: 'fi' })
  defaultLocale: Locale;

  @Column('text', { default: 'Europe/Helsinki' })
  timeZone: string;

  /**
   * Recurring periods (every year, e.g. the July holiday) in which no cadence mail goes: a step due in
   * one goes on the first day after it.
   */
  @Column('jsonb', { default: [] })
  quietPeriods: QuietPeriod[];

  /** The month (1–12) the organization's fiscal year starts in; 1 is the calendar year. */
  @Column('integer', { default: 1 })
  fiscalYearStartMonth: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
