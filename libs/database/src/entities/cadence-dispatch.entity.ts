import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Quarter } from './quarter.entity';
import type { StepKind } from './vocabulary';

/** The record that a quarter's step was fanned out (or skipped); its uniqueness makes a step happen once. */
@Entity()
@Index(['quarterId', 'stepKey'], { unique: true })
export class CadenceDispatch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  workspaceId: string;

  @Column('uuid')
  quarterId: string;

  @ManyToOne(() => Quarter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quarter_id' })
  quarter?: Quarter;

  @Column('text')
  stepKey: string;

  @Column('text')
  kind: StepKind;

  /** The calendar day of the step in the organization's calendar. */
  @Column('date')
  stepDate: string;

  @Column('integer', { default: 0 })
  recipients: number;

  @Column('text', { nullable: true })
  skippedReason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  dispatchedAt: Date;
}
