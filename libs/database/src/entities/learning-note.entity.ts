import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Member } from './member.entity';
import { Pilot } from './pilot.entity';
import { Quarter } from './quarter.entity';
import { WorkspaceOwned } from './workspace-owned';

/** "What we learned": a coach's note on a pilot quarter, offered to the next wave's pilots. */
@Entity()
export class LearningNote extends WorkspaceOwned {
  @Index()
  @Column('uuid')
  organizationId: string;

  @Index()
  @Column('uuid')
  pilotId: string;

  @ManyToOne(() => Pilot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pilot_id' })
  pilot?: Pilot;

  @Index()
  @Column('uuid')
  quarterId: string;

  @ManyToOne(() => Quarter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'quarter_id' })
  quarter?: Quarter;

  @Column('uuid', { nullable: true })
  authorId: string | null;

  @ManyToOne(() => Member, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id' })
  author?: Member;

  @Column('text')
  body: string;

  /** Marked by the coach as a lesson for the next wave: shown in its pilots' kickoff mail. */
  @Column('boolean', { default: false })
  forNextWave: boolean;
}
