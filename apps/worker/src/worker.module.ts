import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, LoggingModule } from '@luotsi/config';
import { DatabaseModule } from '@luotsi/database';
import { Clock, DomainModule } from '@luotsi/domain';
import { QueueModule } from '@luotsi/queue';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { CadenceProcessor } from './processors/cadence.processor';
import { DeliveryProcessor } from './processors/delivery.processor';
import { ReportProcessor } from './processors/report.processor';
import { WebhookProcessor } from './processors/webhook.processor';

export interface WorkerOptions {
  config?: AppConfig;
  clock?: Clock;
}

/** The job runner: processors and schedulers over the same domain services as the API; no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(options: WorkerOptions = {}): DynamicModule {
    const config = options.config ?? AppConfig.fromEnvironment();
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule,
        QueueModule.forRoot(),
        DomainModule.forRoot({ clock: options.clock }),
      ],
      providers: [
        MaintenanceProcessor,
        CadenceProcessor,
        DeliveryProcessor,
        ReportProcessor,
        WebhookProcessor,
      ],
    };
  }
}
