import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Participant } from './participant.entity';
import { Quarter } from './quarter.entity';

/**
 * A planning link's token, stored only as its SHA-256. It opens one participant's view of the OKRs of
 * one quarter (the quarter being planned): its drafts and their dialogue while the quarter is upcoming,
 * the final set once it has started. Used any number of times until it expires.
 */
@Entity()
export class PlanningToken {
  @PrimaryColumn('bytea')
  tokenHash: Buffer;

  @Column('uuid')
  workspaceId: string;

  /** The quarter whose OKRs the link shows. */
  @Index()
  @Column('uuid')
  quarterId: string;

  @ManyToOne(() => Quarter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quarter_id' })
  quarter?: Quarter;

  @Index()
  @Column('uuid')
  participantId: string;

  @ManyToOne(() => Participant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;

  /** Indexed for the retention rules, which delete tokens a while after they expire. */
  @Index()
  @Column('timestamptz')
  expiresAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
