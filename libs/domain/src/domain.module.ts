import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule, CoreOptions } from './core.module';
import { AuditModule } from './audit';
import { WorkspacesModule } from './workspaces';
import { OrganizationsModule } from './organizations';
import { PilotsModule } from './pilots';
import { ParticipantsModule } from './participants';
import { DevInboxModule } from './dev-inbox';
import { HeartbeatModule } from './heartbeat';
import { CadenceModule } from './cadence';
import { DeliveryModule } from './delivery';
import { TemplatesModule } from './templates';
import { OkrsModule } from './okrs';
import { SurveysModule } from './surveys';
import { ReportBuilds } from './reports/report-builds';
import { ReportReconciler } from './reports/report-reconciler';
import { WebhooksModule } from './webhooks';
import { ReportWebhooks } from './reports/report-webhooks';
import { ReportFormats, ReportPrinter } from './reports/render';
import { ReportMail, ReportSharing } from './reports/sharing';
import { PortfolioModule } from './portfolio';
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
  DevInboxModule,
  TemplatesModule,
  ParticipantsModule,
  OkrsModule,
  SurveysModule,
  CadenceModule,
  PortfolioModule,
];

/** Services of the features not yet in a module of their own; they move out feature by feature. */
const services = [
  ReportBuilds,
  ReportReconciler,
  ReportWebhooks,
  ReportPrinter,
  ReportFormats,
  ReportSharing,
  ReportMail,
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
