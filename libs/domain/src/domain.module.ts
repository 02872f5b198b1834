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
import { WebhooksModule } from './webhooks';
import { PortfolioModule } from './portfolio';
import { ReportsModule } from './reports';
import { RetentionModule } from './retention';
import { PlanningModule } from './planning';

/** The features, each a module that owns its data (docs/architecture.md, "Features and what they own"). */
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
  PlanningModule,
  SurveysModule,
  CadenceModule,
  PortfolioModule,
  ReportsModule,
  RetentionModule,
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
      exports: features,
    };
  }
}
