import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { KeyResult } from './key-result.entity';
import { Participant } from './participant.entity';
import { Quarter } from './quarter.entity';
import { WorkspaceOwned } from './workspace-owned';

/**
 * One key result's weekly check-in: the value (a metric) or done flag (a milestone or binary result),
 * the owner's confidence 0–10 and a note. One per key result and week; a later answer replaces it.
 */
@Entity()
@Index(['keyResultId', 'week'], { unique: true })
@Check('CHK_check_in_confidence', '"confidence" BETWEEN 0 AND 10')
export class CheckIn extends WorkspaceOwned {
  @Index()
  @Column('uuid')
  organizationId: string;

  @Index()
  @Column('uuid')
  quarterId: string;

  @ManyToOne(() => Quarter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quarter_id' })
  quarter?: Quarter;

  @Column('uuid')
  keyResultId: string;

  @ManyToOne(() => KeyResult, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'key_result_id' })
  keyResult?: KeyResult;

  /** Who answered; cleared when the person is erased. */
  @Index()
  @Column('uuid', { nullable: true })
  participantId: string | null;

  @ManyToOne(() => Participant, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;

  /** The quarter's week, from 1. */
  @Column('integer')
  week: number;

  @Column('numeric', { nullable: true })
  currentValue: string | null;

  @Column('boolean', { nullable: true })
  done: boolean | null;

  @Column('integer')
  confidence: number;

  @Column('text', { default: '' })
  note: string;

  /** The day of the answer in the participant's time zone. */
  @Column('date')
  recordedOn: string;
}
