import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Participant } from './participant.entity';
import { Pilot } from './pilot.entity';
import { WorkspaceOwned } from './workspace-owned';

/** A participant's place in a pilot; one person may join several pilots over time. */
@Entity()
@Index(['pilotId', 'participantId'], { unique: true })
export class PilotMembership extends WorkspaceOwned {
  @Column('uuid')
  pilotId: string;

  @Index()
  @Column('uuid')
  participantId: string;

  @Column('uuid')
  organizationId: string;

  @ManyToOne(() => Pilot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pilot_id' })
  pilot?: Pilot;

  @ManyToOne(() => Participant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;
}
