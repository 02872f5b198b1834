import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JobName, JobProducer } from '@luotsi/queue';
import { Clock } from '../common/clock';
import { returned } from '../common/sql';

/** Runs a beat looks at, at most; the rest wait for the next beat. */
const SWEEP_RUNS = 500;

/** The day of `$2` in the run's organization's time zone: the only time an anonymous answer carries. */
const DAY_OF = (run: string) =>
  `($2::timestamptz AT TIME ZONE (SELECT o.time_zone FROM retrospective r JOIN organization o ON o.id = r.organization_id
                                  WHERE r.id = ${run}))::date`;

/**
 * Moves a run's waiting answers, all of them, provided at least `$3` wait, in random order. The count
 * and the delete see the same snapshot, and the run's row lock keeps a second mover out, so the batch
 * is exactly what was counted. It touches no invitation.
 */
const MOVE = `
  WITH moved AS (
    DELETE FROM pending_answer
    WHERE retrospective_id = $1 AND (SELECT count(*) FROM pending_answer WHERE retrospective_id = $1) >= $3
    RETURNING workspace_id, retrospective_id, level, locale, answers)
  INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
  SELECT workspace_id, retrospective_id, NULL, level, locale, answers, ${DAY_OF('$1')}
  FROM moved ORDER BY random()
  RETURNING 1`;

/**
 * The close's rewrite of every answer of an anonymous run: those already moved and those still waiting,
 * all written anew in one random order under new ids, each with the day of the close, so not even the
 * day of its batch is left to tell answers apart.
 */
const SEAL = `
  WITH old AS (
    DELETE FROM retrospective_response WHERE retrospective_id = $1
    RETURNING workspace_id, retrospective_id, level, locale, answers),
  held AS (
    DELETE FROM pending_answer WHERE retrospective_id = $1
    RETURNING workspace_id, retrospective_id, level, locale, answers)
  INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
  SELECT workspace_id, retrospective_id, NULL, level, locale, answers, ${DAY_OF('$1')}
  FROM (SELECT * FROM old UNION ALL SELECT * FROM held) every
  ORDER BY random()`;

/**
 * Anonymous answers wait in `pending_answer`, written by the statement that marks the invitation
 * used, and join the run's answers in shuffled batches of at least the run's minimum group size, in a
 * transaction of their own that touches no invitation. So a reader of the database (or of a backup)
 * who pairs rows by transaction id, physical order or day narrows a moved answer to its batch, never
 * to fewer people than the run's k. A submission that brings the waiting count to k asks for a move
 * (one job per batch); the scheduler's beat moves whatever a lost job left; the close moves the rest.
 */
@Injectable()
export class AnswerBatches {
  private readonly logger = new Logger(AnswerBatches.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly producer: JobProducer,
  ) {}

  /**
   * After an anonymous answer left `waiting` answers in its run (counted up to k + 1): the answer that
   * makes exactly k asks for a job to move them. Its id is the run and how many answers the run already
   * holds, so concurrent posts that both see k ask for the same job. Answers beyond k while no job ran
   * (a worker down, a lost job) are moved by the beat. A failure to enqueue is left to the beat too:
   * the answer is stored.
   */
  async answered(retrospectiveId: string, waiting: number, minGroupSize: number): Promise<void> {
    if (waiting !== minGroupSize) return;
    try {
      const [{ moved }] = await this.dataSource.query(
        `SELECT count(*)::int AS moved FROM retrospective_response WHERE retrospective_id = $1`,
        [retrospectiveId],
      );
      await this.producer.enqueue(JobName.MoveAnswers, { retrospectiveId, moved });
    } catch (error) {
      this.logger.warn(`answers wait for the next beat: ${(error as Error).message}`);
    }
  }

  /**
   * Moves the run's waiting answers if the run is open and at least k of them wait; returns how many
   * moved (0 otherwise, e.g. when an earlier job or the beat already moved them).
   */
  async move(retrospectiveId: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      // Movers of one run, and its close, take turns on the run's row; answering does not wait.
      const [run] = await manager.query(
        `SELECT id, min_group_size FROM retrospective
         WHERE id = $1 AND state = 'open' AND anonymity = 'anonymous' FOR NO KEY UPDATE`,
        [retrospectiveId],
      );
      if (!run) return 0;
      const moved = returned(
        await manager.query(MOVE, [retrospectiveId, this.clock.now(), run.min_group_size]),
      );
      return moved.length;
    });
  }

  /** The beat: every open run with at least k answers waiting, whether or not a job was asked for. */
  async sweep(): Promise<number> {
    const runs: { id: string }[] = await this.dataSource.query(
      `SELECT r.id
       FROM (SELECT retrospective_id, count(*) AS waiting FROM pending_answer GROUP BY retrospective_id) p
       JOIN retrospective r ON r.id = p.retrospective_id
       WHERE r.state = 'open' AND r.anonymity = 'anonymous' AND p.waiting >= r.min_group_size
       LIMIT ${SWEEP_RUNS}`,
    );
    let moved = 0;
    for (const run of runs) moved += await this.move(run.id);
    return moved;
  }

  /** Inside the closing transaction (the run's row already locked): every answer, in one batch. */
  async seal(manager: EntityManager, retrospectiveId: string): Promise<void> {
    await manager.query(SEAL, [retrospectiveId, this.clock.now()]);
  }
}
