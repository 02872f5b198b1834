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
import { SurveysModule } from './surveys';
import { OkrAccess } from './okrs/okr-access';
import { ObjectiveService } from './okrs/objective.service';
import { KeyResultService } from './okrs/key-result.service';
import { OkrScoringService } from './okrs/okr-scoring.service';
import { OkrImportService } from './okrs/okr-import.service';
import { CheckInService } from './okrs/check-in.service';
import { PracticeSignalsService } from './okrs/practice-signals.service';
import { CarryOverService } from './okrs/carry-over.service';
import { ReportBuilds } from './reports/report-builds';
import { ReportReconciler } from './reports/report-reconciler';
import { WebhooksModule } from './webhooks';
import { ReportWebhooks } from './reports/report-webhooks';
import { ReportFormats, ReportPrinter } from './reports/render';
import { ReportMail, ReportSharing } from './reports/sharing';
import { PortfolioService } from './portfolio';
import { LEARNING_REPORT_SERVICES } from './reports/learning';
import { ReadinessEvidence, ReadinessReportService, RolloutDecisionService } from './reports/readiness';

/** The features that own their data, each a module of its own (docs/architecture.md, "Features"). */
const features = [
  AuditModule,
  WebhooksModule,
  HeartbeatModule,
  OrganizationsModule,
  WorkspacesModule,
  PilotsModule,
  DeliveryModule,
  SurveysModule,
];

/** Services of the features not yet in a module of their own; they move out feature by feature. */
const services = [
  ParticipantService,
  CadenceService,
  CadenceScheduler,
  CadenceTicker,
  TemplateService,
  OkrAccess,
  ObjectiveService,
  KeyResultService,
  OkrScoringService,
  OkrImportService,
  CheckInService,
  PracticeSignalsService,
  CarryOverService,
  ReportBuilds,
  ReportReconciler,
  ReportWebhooks,
  ReportPrinter,
  ReportFormats,
  ReportSharing,
  ReportMail,
  PortfolioService,
  ...LEARNING_REPORT_SERVICES,
  ReadinessEvidence,
  ReadinessReportService,
  RolloutDecisionService,
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
      providers: services,
      exports: [...features, ...services],
    };
  }
}
