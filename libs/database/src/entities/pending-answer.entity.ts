import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Retrospective } from './retrospective.entity';
import type { Level, Locale } from './vocabulary';

/**
 * An anonymous answer waiting to join its run's answers. It is written by the statement that marks the
 * invitation used, so while it waits it shares that statement's transaction; the worker moves a run's
 * waiting answers into `retrospective_response` once there are at least the run's minimum group size
 * of them, in random order, in a transaction that touches no invitation (and the close moves the
 * rest). No participant, no invitation, no time; the id is random.
 */
@Entity()
export class PendingAnswer {
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

  /** From the invitation: the level the person had when the run opened. */
  @Column('text')
  level: Level;

  /** From the invitation: the language the person had when the run opened. */
  @Column('text')
  locale: Locale;

  @Column('jsonb')
  answers: Record<string, unknown>;
}
