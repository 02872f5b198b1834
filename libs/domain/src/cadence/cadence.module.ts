import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { DeliveryModule } from '../delivery';
import { OrganizationsModule } from '../organizations';
import { PilotsModule } from '../pilots';
import { CadenceScheduler } from './cadence-scheduler';
import { CadenceService } from './cadence.service';
import { CadenceStore } from './cadence.store';
import { CadenceTicker } from './cadence-ticker';
import { DeliveryReportService } from './delivery-report.service';
import { StepPreviewService } from './step-preview.service';
import { QuarterAdvancer } from './quarter-advancer';

/**
 * A rollout's cadence plan (and a pilot's own) and its dispatch (`cadence_step`, `cadence_dispatch`): the plan a coach edits,
 * the scheduler that turns each due step into its effect, the ticker that beats it, and the coach's view
 * of a quarter's deliveries by step. The ticker also asks features not yet in a module of their own
 * (reports, surveys, participants), which `DomainModule` provides.
 */
@Module({
  imports: [AuditModule, DeliveryModule, OrganizationsModule, PilotsModule],
  providers: [
    CadenceStore,
    CadenceService,
    CadenceScheduler,
    CadenceTicker,
    DeliveryReportService,
    StepPreviewService,
    QuarterAdvancer,
  ],
  exports: [CadenceService, CadenceScheduler, CadenceTicker, DeliveryReportService, StepPreviewService],
})
export class CadenceModule {}
