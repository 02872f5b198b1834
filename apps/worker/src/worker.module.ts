import { DynamicModule, Module } from '@nestjs/common';
import { RuntimeModule, RuntimeOptions } from '@luotsi/runtime';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { CadenceProcessor } from './processors/cadence.processor';
import { DeliveryProcessor } from './processors/delivery.processor';
import { ReportProcessor } from './processors/report.processor';
import { WebhookProcessor } from './processors/webhook.processor';

export type WorkerOptions = RuntimeOptions;

/** The job runner: processors and schedulers over the same domain services as the API; no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(options: WorkerOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [RuntimeModule.forRoot(options)],
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
