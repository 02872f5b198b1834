import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JobName, JobProducer } from '@luotsi/queue';
import { Clock } from '../common/clock';
import { AnswersStore } from './answers.store';
import { SurveysStore } from './surveys.store';
import { OnBeat } from '../common/reactions';

/** Runs a beat looks at, at most; the rest wait for the next beat. */
const SWEEP_RUNS = 500;

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
    private readonly runs: SurveysStore,
    private readonly answers: AnswersStore,
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
      const moved = await this.answers.countMoved(retrospectiveId);
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
      const run = await this.runs.lockAnonymousRun(manager, retrospectiveId);
      if (!run) return 0;
      return this.answers.moveWaiting(manager, retrospectiveId, this.clock.now(), run.min_group_size);
    });
  }

  /** The beat: every open run with at least k answers waiting, whether or not a job was asked for. */
  @OnBeat('answersMoved')
  async sweep(): Promise<number> {
    const runs = await this.answers.runsWithBatchWaiting(SWEEP_RUNS);
    let moved = 0;
    for (const run of runs) moved += await this.move(run.id);
    return moved;
  }

  /** Inside the closing transaction (the run's row already locked): every answer, in one batch. */
  async seal(manager: EntityManager, retrospectiveId: string): Promise<void> {
    await this.answers.sealAnswers(manager, retrospectiveId, this.clock.now());
  }
}
