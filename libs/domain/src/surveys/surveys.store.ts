import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AnonymityMode, QuestionSet, Retrospective } from '@luotsi/database';
import { returned } from '../common/sql';
import { Tenancy } from '../tenancy/tenancy.service';

/** A new question set of the actor's workspace. */
export interface NewQuestionSet {
  name: string;
  description: string;
  questions: unknown[];
  basedOn: string | null;
}

/** A new run of a quarter, opened now; its workspace, pilot and organization are the quarter's. */
export interface NewRun {
  workspaceId: string;
  quarterId: string;
  pilotId: string;
  organizationId: string;
  questionSetRef: string;
  questions: unknown[];
  anonymity: AnonymityMode;
  minGroupSize: number;
  openedAt: Date;
  closesAt: Date;
}

/**
 * The tables of question sets and retrospective runs (`question_set`, `retrospective`): the only code
 * that reads or writes them. The coach's reads and writes go through the actor's scope (`Tenancy.repo`);
 * the workings of a run that the cadence shares (open, close, move answers) take the caller's
 * transaction, the caller having scoped the quarter or the run already. Invitations and answers are in
 * answers.store.ts.
 */
@Injectable()
export class SurveysStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: Tenancy,
  ) {}

  private sets(manager?: EntityManager) {
    return this.tenancy.repo(QuestionSet, 'question set', manager);
  }

  private runs(manager?: EntityManager) {
    return this.tenancy.repo(Retrospective, 'retrospective', manager);
  }

  /** The workspace's own question sets, by name. */
  listSets(): Promise<QuestionSet[]> {
    return this.sets().find({ order: { name: 'ASC', createdAt: 'ASC', id: 'ASC' } });
  }

  getSet(id: string, options: { lock?: boolean } = {}, manager?: EntityManager): Promise<QuestionSet> {
    return this.sets(manager).get(id, options);
  }

  /** The questions of one of a workspace's sets, outside a request (the cadence); null when it is gone. */
  async setQuestions(manager: EntityManager, workspaceId: string, id: string): Promise<unknown[] | null> {
    const [row] = await manager.query(
      `SELECT questions FROM question_set WHERE id::text = $1 AND workspace_id = $2`,
      [id, workspaceId],
    );
    return (row?.questions as unknown[] | undefined) ?? null;
  }

  createSet(values: NewQuestionSet, manager?: EntityManager): Promise<QuestionSet> {
    return this.sets(manager).create(values);
  }

  saveSet(set: QuestionSet, manager?: EntityManager): Promise<QuestionSet> {
    return this.sets(manager).save(set);
  }

  removeSet(set: QuestionSet, manager?: EntityManager): Promise<void> {
    return this.sets(manager).remove(set);
  }

  /** The quarter's runs the actor sees. */
  runsOfQuarter(quarterId: string): Promise<Retrospective[]> {
    return this.runs().find({ where: { quarterId } });
  }

  /** The run, if the actor sees it; a NotFoundError otherwise. */
  getRun(id: string, options: { lock?: boolean } = {}, manager?: EntityManager): Promise<Retrospective> {
    return this.runs(manager).get(id, options);
  }

  /** The quarter's run, if it has one, locked until the transaction ends (no scope: see the class). */
  runForQuarter(manager: EntityManager, quarterId: string): Promise<Retrospective | null> {
    return manager.findOne(Retrospective, { where: { quarterId }, lock: { mode: 'for_no_key_update' } });
  }

  /** Inserts the quarter's run; its id, or undefined when the quarter already has one. */
  async insertRun(manager: EntityManager, run: NewRun): Promise<string | undefined> {
    const inserted = returned<{ id: string }>(
      await manager.query(
        `INSERT INTO retrospective (workspace_id, quarter_id, pilot_id, organization_id, question_set_ref, questions,
                                    anonymity, min_group_size, state, opened_at, closes_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, 'open', $9, $10)
         ON CONFLICT (quarter_id) DO NOTHING RETURNING id`,
        [
          run.workspaceId,
          run.quarterId,
          run.pilotId,
          run.organizationId,
          run.questionSetRef,
          JSON.stringify(run.questions),
          run.anonymity,
          run.minGroupSize,
          run.openedAt,
          run.closesAt,
        ],
      ),
    );
    return inserted[0]?.id;
  }

  /** The run as it is now in the transaction (no scope: see the class). */
  runById(manager: EntityManager, id: string): Promise<Retrospective> {
    return manager.findOneByOrFail(Retrospective, { id });
  }

  async markClosed(manager: EntityManager, id: string, now: Date): Promise<void> {
    await manager.query(`UPDATE retrospective SET state = 'closed', closed_at = $2 WHERE id = $1`, [id, now]);
  }

  /**
   * The run's id and k if it is open and anonymous, its row locked until the transaction ends: movers
   * of one run, and its close, take turns on it; answering does not wait.
   */
  async lockAnonymousRun(
    manager: EntityManager,
    id: string,
  ): Promise<{ id: string; min_group_size: number } | undefined> {
    const [run] = await manager.query(
      `SELECT id, min_group_size FROM retrospective
         WHERE id = $1 AND state = 'open' AND anonymity = 'anonymous' FOR NO KEY UPDATE`,
      [id],
    );
    return run;
  }

  /** The run's questions (the snapshot taken when it opened). */
  async questionsOf(id: string): Promise<unknown[]> {
    const [run] = await this.dataSource.query(`SELECT questions FROM retrospective WHERE id = $1`, [id]);
    return run.questions;
  }
}
