import { Injectable, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { REPORT_KINDS, STEP_KINDS } from '@luotsi/database';
import {
  AnswerBatches,
  BEAT_WORK,
  BuildsReport,
  DueStep,
  HandlesStep,
  MAIL_OF_STEP,
  Reactions,
  ReactionsError,
  RetrospectiveSteps,
} from '@luotsi/domain';
import { ApiModule } from '../apps/api/src/api.module';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { testEnvironment, TestEnv } from './support/api';
import { TestDatabase } from './support/database';

/** The retrospective steps with the close left undeclared, as if its handler had been deleted. */
@Injectable()
class StepsWithoutClose extends RetrospectiveSteps {
  override close(step: DueStep, manager: EntityManager): Promise<number> {
    return super.close(step, manager);
  }
}

/** The anonymous answers' batches with their share of the beat left undeclared. */
@Injectable()
class BatchesWithoutBeat extends AnswerBatches {
  override sweep(): Promise<number> {
    return super.sweep();
  }
}

/** A second handler for a kind that has one already. */
@Injectable()
class SecondCloser {
  @HandlesStep('retrospective_close')
  async close(): Promise<number> {
    return 0;
  }
}

/** A second builder for readiness reports. */
@Injectable()
class SecondReadinessBuilder {
  @BuildsReport('readiness')
  async build(): Promise<void> {}
}

/** The declared reactions are checked when an app boots: a kind without its handler, or with two, stops it. */
describe('reactions checked at boot', () => {
  let env: TestEnv;
  let database: TestDatabase;
  let config: AppConfig;

  beforeAll(async () => {
    ({ env, database } = await testEnvironment());
    config = AppConfig.fromEnvironment({ ...env, CADENCE_TICK_MS: '3600000', HEARTBEAT_EVERY_MS: '3600000' });
  });
  afterAll(() => database.drop());

  /** Boots the module as the app would; returns the error that stopped it, if any. */
  async function boot(
    imports: ModuleMetadata['imports'],
    change: (builder: ReturnType<typeof Test.createTestingModule>) => void = () => {},
    providers: ModuleMetadata['providers'] = [],
  ): Promise<{
    error: unknown;
    app: Awaited<ReturnType<ReturnType<typeof Test.createTestingModule>['compile']>>;
  }> {
    const builder = Test.createTestingModule({ imports, providers });
    change(builder);
    const app = await builder.compile();
    app.useLogger(false);
    const error = await app.init().then(
      () => undefined,
      (e: unknown) => e,
    );
    await app.close();
    return { error, app };
  }

  it('boots the worker with every step kind, mail kind and report kind handled once', async () => {
    const { error, app } = await boot([WorkerModule.forRoot({ config })]);
    expect(error).toBeUndefined();
    const reactions = app.get(Reactions);
    for (const kind of STEP_KINDS) {
      expect(reactions.stepHandler(kind)).toBeInstanceOf(Function);
      expect(reactions.mailEnricher(kind) === undefined).toBe(MAIL_OF_STEP[kind] === 'plain');
    }
    for (const kind of REPORT_KINDS) expect(reactions.reportBuilder(kind)).toBeInstanceOf(Function);
    for (const work of BEAT_WORK) expect(reactions.beatHandler(work)).toBeInstanceOf(Function);
  });

  it('stops the worker at boot when a step kind has no handler, naming the kind', async () => {
    const { error } = await boot([WorkerModule.forRoot({ config })], (builder) =>
      builder.overrideProvider(RetrospectiveSteps).useClass(StepsWithoutClose),
    );
    expect(error).toBeInstanceOf(ReactionsError);
    expect((error as ReactionsError).problems).toEqual([
      "cadence step kind 'retrospective_close' (@HandlesStep) has no handler",
    ]);
  });

  it("stops the worker at boot when a feature's share of the beat is not declared, naming it", async () => {
    const { error } = await boot([WorkerModule.forRoot({ config })], (builder) =>
      builder.overrideProvider(AnswerBatches).useClass(BatchesWithoutBeat),
    );
    expect(error).toBeInstanceOf(ReactionsError);
    expect((error as ReactionsError).problems).toEqual(["beat work 'answersMoved' (@OnBeat) has no handler"]);
  });

  it('stops the worker at boot when a step kind has two handlers, naming the kind and both', async () => {
    const { error } = await boot([WorkerModule.forRoot({ config })], undefined, [SecondCloser]);
    expect(error).toBeInstanceOf(ReactionsError);
    expect((error as ReactionsError).problems).toEqual([
      "cadence step kind 'retrospective_close' (@HandlesStep) has 2 handlers: RetrospectiveSteps.close, SecondCloser.close",
    ]);
  });

  it('stops the API at boot the same way (here a report kind with two builders)', async () => {
    const { error } = await boot([ApiModule.forRoot({ config })], undefined, [SecondReadinessBuilder]);
    expect(error).toBeInstanceOf(ReactionsError);
    expect((error as ReactionsError).problems).toEqual([
      "report kind 'readiness' (@BuildsReport) has 2 handlers: ReadinessReportService.build, SecondReadinessBuilder.build",
    ]);
  });
});
