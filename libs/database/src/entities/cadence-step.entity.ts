import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import { Pilot } from './pilot.entity';
import { Rollout } from './rollout.entity';
import type { AnonymityMode, Audience, Level, Locale, StepAnchor, StepKind } from './vocabulary';

/** A step's own subject and body in one language (checked like a template override). */
export interface StepText {
  subject: string;
  body: string;
}

/**
 * One step of a rollout's own cadence plan, or of a pilot's (`pilotId` set). A pilot with steps of its
 * own follows them; else its rollout's; a rollout without steps follows the default plan.
 * `key` is stable across edits: it is part of every outbox key, so moving a step never sends it twice.
 */
@Entity()
@Index(['rolloutId', 'key'], { unique: true, where: '"pilot_id" IS NULL' })
@Index(['pilotId', 'key'], { unique: true, where: '"pilot_id" IS NOT NULL' })
export class CadenceStep extends WorkspaceOwned {
  @Column('uuid')
  rolloutId: string;

  @ManyToOne(() => Rollout, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rollout_id' })
  rollout?: Rollout;

  /** Set on a pilot's own plan; null on its rollout's. */
  @Column('uuid', { nullable: true })
  pilotId: string | null;

  @ManyToOne(() => Pilot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pilot_id' })
  pilot?: Pilot;

  @Column('text')
  key: string;

  @Column('integer')
  position: number;

  @Column('text')
  kind: StepKind;

  /** Days are counted from the quarter's first day (`start`) or its last day (`end`). */
  @Column('text')
  anchor: StepAnchor;

  @Column('integer')
  offsetDays: number;

  /** Local time of day in the recipient's time zone, `HH:MM`. */
  @Column('text')
  sendTime: string;

  @Column('text')
  template: string;

  @Column('text')
  audience: Audience;

  /** The level an audience `level` reaches; null for every other audience. */
  @Column('text', { nullable: true })
  audienceLevel: Level | null;

  /** The step's own text per language, used instead of the template's; a language left out uses the template. */
  @Column('jsonb', { nullable: true })
  texts: Partial<Record<Locale, StepText>> | null;

  /**
   * The retrospective a `retrospective_open` step opens: a question set ref (`builtin:…` or a workspace
   * set's id), anonymity mode and k; null on other steps and for the built-in, anonymous, k = 5.
   */
  @Column('text', { nullable: true })
  questionSetRef: string | null;

  @Column('text', { nullable: true })
  anonymity: AnonymityMode | null;

  @Column('integer', { nullable: true })
  minGroupSize: number | null;
}
