import { Column, Entity, UpdateDateColumn } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import type { Locale, Sector } from './vocabulary';

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

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
