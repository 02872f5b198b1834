import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import { Retrospective } from './retrospective.entity';
import { Participant } from './participant.entity';
import type { Level, Locale } from './vocabulary';

/**
 * One participant's place in a retrospective run. Its links' tokens are in `invitation_token` (one per
 * email, so a reminder's link and the first one both work). In an anonymous run `used` is all it
 * records of an answer: no time, no link to the response. The person's level and language are frozen
 * here when the run opens: the answer counts in that group, whatever the person's record says later.
 */
@Entity()
@Index(['retrospectiveId', 'participantId'], { unique: true })
export class Invitation extends WorkspaceOwned {
  @Column('uuid')
  retrospectiveId: string;

  @ManyToOne(() => Retrospective, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'retrospective_id' })
  retrospective?: Retrospective;

  /** Null once the participant is erased. */
  @Index()
  @Column('uuid', { nullable: true })
  participantId: string | null;

  @ManyToOne(() => Participant, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;

  /** Links stop working at the run's close. */
  @Column('timestamptz')
  expiresAt: Date;

  @Column('boolean', { default: false })
  used: boolean;

  /** The person's level when the run opened; the answer is stored with this one. */
  @Column('text')
  level: Level;

  /** The person's language when the run opened; the answer is stored with this one. */
  @Column('text')
  locale: Locale;
}
