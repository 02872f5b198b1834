import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { HandlesStep } from '../common/reactions';
import { CadenceScheduler, dueOfStep, DueStep } from '../cadence';
import { BUILTIN_QUESTION_SET, Question } from './question-set';
import {
  BUILTIN_SET_REF,
  DEFAULT_MIN_GROUP_SIZE,
  MailTiming,
  RetrospectiveRuns,
  RunOptions,
} from './retrospective-runs';
import { SurveysStore } from './surveys.store';

/** What a run opened by the cadence asks unless its step says otherwise: the built-in questions, anonymous, k = 5. */
const CADENCE_RUN: RunOptions = {
  questionSetRef: BUILTIN_SET_REF,
  questions: [...BUILTIN_QUESTION_SET.questions],
  anonymity: 'anonymous',
  minGroupSize: DEFAULT_MIN_GROUP_SIZE,
};

/**
 * The retrospective steps of the cadence: open the quarter's run and invite, remind those who have not
 * answered, close the run and thank the participants.
 */
@Injectable()
export class RetrospectiveSteps {
  constructor(
    private readonly runs: RetrospectiveRuns,
    private readonly scheduler: CadenceScheduler,
    private readonly store: SurveysStore,
  ) {}

  @HandlesStep('retrospective_open')
  async open(step: DueStep, manager: EntityManager): Promise<number> {
    const existing = await this.runs.forQuarter(manager, step.quarterId);
    const run = existing ?? (await this.runs.open(manager, step.quarterId, await this.runOf(step, manager)));
    return run.state === 'open' ? this.runs.sendInvitations(manager, run, stepMail(step), false) : 0;
  }

  @HandlesStep('retrospective_reminder')
  async remind(step: DueStep, manager: EntityManager): Promise<number> {
    const run = await this.runs.forQuarter(manager, step.quarterId);
    return run?.state === 'open' ? this.runs.sendInvitations(manager, run, stepMail(step), true) : 0;
  }

  /**
   * The run the step asks for: the coach's question set, mode and k when the step names them, else
   * `CADENCE_RUN`. A workspace set deleted since the plan was saved falls back to the built-in questions
   * (keeping the mode and k), so the quarter still gets its retrospective.
   */
  private async runOf(step: DueStep, manager: EntityManager): Promise<RunOptions> {
    if (!step.questionSetRef || !step.anonymity || !step.minGroupSize) return CADENCE_RUN;
    const own =
      step.questionSetRef === BUILTIN_SET_REF
        ? null
        : await this.store.setQuestions(manager, step.workspaceId, step.questionSetRef);
    return {
      questionSetRef: own ? step.questionSetRef : BUILTIN_SET_REF,
      questions: own ? (own as Question[]) : [...BUILTIN_QUESTION_SET.questions],
      anonymity: step.anonymity,
      minGroupSize: step.minGroupSize,
    };
  }

  @HandlesStep('retrospective_close')
  async close(step: DueStep, manager: EntityManager): Promise<number> {
    const run = await this.runs.forQuarter(manager, step.quarterId);
    if (!run) return 0;
    if (run.state === 'open') await this.runs.close(manager, run);
    // The step's own mail (the retrospective-closed thanks) to the pilot's participants.
    return this.scheduler.fanOutMail(step, manager);
  }
}

const stepMail = (step: DueStep): MailTiming => ({ stepKey: step.key, due: dueOfStep(step) });
