import { Column, Entity, UpdateDateColumn } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';

/**
 * A workspace's own retrospective questions (the built-in set lives in code). `questions` is validated
 * on save: types, ranges, every locale present. Runs take a snapshot, so editing never changes a past run.
 */
@Entity()
export class QuestionSet extends WorkspaceOwned {
  @Column('text')
  name: string;

  @Column('text', { default: '' })
  description: string;

  @Column('jsonb')
  questions: unknown[];

  /** The set this one was copied from (`builtin:…` or another set's id). */
  @Column('text', { nullable: true })
  basedOn: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
