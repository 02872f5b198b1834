import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Invitation } from './invitation.entity';

/** A link's token (at least 128 random bits), stored only as its SHA-256. One per email sent. */
@Entity()
export class InvitationToken {
  @PrimaryColumn('bytea')
  tokenHash: Buffer;

  @Index()
  @Column('uuid')
  invitationId: string;

  @ManyToOne(() => Invitation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'invitation_id' })
  invitation?: Invitation;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
