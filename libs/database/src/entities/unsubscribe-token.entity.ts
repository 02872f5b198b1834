import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Participant } from './participant.entity';

/** A one-click unsubscribe link's token, stored only as its SHA-256; one per sent message. */
@Entity()
export class UnsubscribeToken {
  @PrimaryColumn('bytea')
  tokenHash: Buffer;

  @Column('uuid')
  workspaceId: string;

  @Index()
  @Column('uuid')
  participantId: string;

  @ManyToOne(() => Participant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
