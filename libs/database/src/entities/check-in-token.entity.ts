import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Participant } from './participant.entity';
import { Quarter } from './quarter.entity';

/**
 * A weekly check-in link's token, stored only as its SHA-256. It covers one participant's own key
 * results of one quarter for one week, is used once, and expires a few days after that week.
 */
@Entity()
export class CheckInToken {
  @PrimaryColumn('bytea')
  tokenHash: Buffer;

  @Column('uuid')
  workspaceId: string;

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

  /** The quarter's week, from 1, that the check-in is for. */
  @Column('integer')
  week: number;

  /** Indexed for the retention rules, which delete tokens a while after they expire. */
  @Index()
  @Column('timestamptz')
  expiresAt: Date;

  @Column('boolean', { default: false })
  used: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
