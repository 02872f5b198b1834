import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { HandlesStep } from '../common/reactions';
import { CadenceScheduler, dueOfStep, DueStep } from '../cadence';
import { BUILTIN_QUESTION_SET } from './question-set';
import {
  BUILTIN_SET_REF,
  DEFAULT_MIN_GROUP_SIZE,
  MailTiming,
  RetrospectiveRuns,
  RunOptions,
} from './retrospective-runs';

/** What a run opened by the cadence asks: the built-in questions, anonymous, k = 5. */
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
  ) {}

  @HandlesStep('retrospective_open')
  async open(step: DueStep, manager: EntityManager): Promise<number> {
    const existing = await this.runs.forQuarter(manager, step.quarterId);
    const run = existing ?? (await this.runs.open(manager, step.quarterId, CADENCE_RUN));
    return run.state === 'open' ? this.runs.sendInvitations(manager, run, stepMail(step), false) : 0;
  }

  @HandlesStep('retrospective_reminder')
  async remind(step: DueStep, manager: EntityManager): Promise<number> {
    const run = await this.runs.forQuarter(manager, step.quarterId);
    return run?.state === 'open' ? this.runs.sendInvitations(manager, run, stepMail(step), true) : 0;
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
