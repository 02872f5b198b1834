import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import { Retrospective } from './retrospective.entity';
import { Participant } from './participant.entity';

/**
 * One participant's place in a retrospective run. Its links' tokens are in `invitation_token` (one per
 * email, so a reminder's link and the first one both work). In an anonymous run `used` is all it
 * records of an answer: no time, no link to the response.
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
}
