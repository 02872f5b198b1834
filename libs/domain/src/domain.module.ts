import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule, CoreOptions } from './core.module';
import { AuditModule } from './audit';
import { WorkspacesModule } from './workspaces';
import { OrganizationsModule } from './organizations';
import { PilotsModule } from './pilots';
import { ParticipantService } from './participants/participant.service';
import { HeartbeatModule } from './heartbeat';
import { CadenceService } from './cadence/cadence.service';
import { CadenceScheduler } from './cadence/cadence-scheduler';
import { CadenceTicker } from './cadence/cadence-ticker';
import { DeliveryModule } from './delivery';
import { TemplateService } from './templates/template.service';
import { QuestionSetService } from './surveys/question-set.service';
import { RetrospectiveRuns } from './surveys/retrospective-runs';
import { RetrospectiveSteps } from './surveys/retrospective-steps';
import { RetrospectiveService } from './surveys/retrospective.service';
import { RetrospectiveMail } from './surveys/retrospective-mail';
import { RetrospectivePeople } from './surveys/retrospective-people';
import { ResponseService } from './surveys/response.service';
import { AnswerBatches } from './surveys/answer-batches';
import { SurveysStore } from './surveys/surveys.store';
import { OkrAccess } from './okrs/okr-access';
import { ObjectiveService } from './okrs/objective.service';
import { KeyResultService } from './okrs/key-result.service';
import { OkrScoringService } from './okrs/okr-scoring.service';
import { OkrImportService } from './okrs/okr-import.service';
import { CheckInService } from './okrs/check-in.service';
import { PracticeSignalsService } from './okrs/practice-signals.service';
import { CarryOverService } from './okrs/carry-over.service';
import { WebhooksModule } from './webhooks';
import { PortfolioService } from './portfolio';
import { ReportsModule } from './reports';

/** The features that own their data, each a module of its own (docs/architecture.md, "Features"). */
const features = [
  AuditModule,
  WebhooksModule,
  HeartbeatModule,
  OrganizationsModule,
  WorkspacesModule,
  PilotsModule,
  DeliveryModule,
  ReportsModule,
];

/** Services of the features not yet in a module of their own; they move out feature by feature. */
const services = [
  ParticipantService,
  CadenceService,
  CadenceScheduler,
  CadenceTicker,
  TemplateService,
  QuestionSetService,
  RetrospectiveRuns,
  RetrospectiveSteps,
  RetrospectiveService,
  RetrospectiveMail,
  RetrospectivePeople,
  ResponseService,
  AnswerBatches,
  OkrAccess,
  ObjectiveService,
  KeyResultService,
  OkrScoringService,
  OkrImportService,
  CheckInService,
  PracticeSignalsService,
  CarryOverService,
  PortfolioService,
];

/**
 * The domain both apps share: the core (clock, tenancy, reactions, mail) and the feature modules, with
 * every feature's exported services available to the apps. The clock is replaceable (tests, the demo).
 * Booting it checks the declared reactions (`common/reactions.ts`): a missing or doubled handler stops
 * the app.
 */
@Module({})
export class DomainModule {
  static forRoot(options: CoreOptions = {}): DynamicModule {
    return {
      module: DomainModule,
      global: true,
      imports: [CoreModule.forRoot(options), ...features],
      // SurveysStore: until surveys has a module of its own, provided here and not exported.
      providers: [...services, SurveysStore],
      exports: [...features, ...services],
    };
  }
}
