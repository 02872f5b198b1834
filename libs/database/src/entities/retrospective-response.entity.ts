import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Retrospective } from './retrospective.entity';
import { Participant } from './participant.entity';
import type { Level, Locale } from './vocabulary';

/**
 * One participant's answers to a run. In an anonymous run nothing here points to a person or an
 * invitation, and the time is a day only (the answer arrives through `pending_answer`); in confidential and named runs `participantId` links it
 * (never shown for confidential) and the database keeps it to one per person.
 */
@Entity()
@Index(['retrospectiveId', 'participantId'], { unique: true, where: 'participant_id IS NOT NULL' })
export class RetrospectiveResponse {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  workspaceId: string;

  @Index()
  @Column('uuid')
  retrospectiveId: string;

  @ManyToOne(() => Retrospective, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'retrospective_id' })
  retrospective?: Retrospective;

  @Column('uuid', { nullable: true })
  participantId: string | null;

  @ManyToOne(() => Participant, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;

  /** For breakdowns, shown only for groups of at least the run's minimum size. */
  @Column('text')
  level: Level;

  @Column('text')
  locale: Locale;

  @Column('jsonb')
  answers: Record<string, unknown>;

  /**
   * A day, never a time: the day of the answer in confidential and named runs; in anonymous runs the
   * day its batch joined the run's answers, and after the close the day of the close.
   */
  @Column('date')
  submittedOn: string;
}
