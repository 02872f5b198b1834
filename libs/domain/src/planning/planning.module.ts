import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { DeliveryModule } from '../delivery';
import { OkrsModule } from '../okrs';
import { PilotsModule } from '../pilots';
import { PlanningDigestService } from './planning-digest.service';
import { PlanningService } from './planning.service';
import { PlanningStore } from './planning.store';

/**
 * The planning dialogue (`planning_token`, `planning_entry`, `planning_revision`): the next quarter's
 * draft OKRs discussed through personal links before it starts, the daily digests of what was said, and the
 * coach's decisions on it.
 */
@Module({
  imports: [AuditModule, DeliveryModule, OkrsModule, PilotsModule],
  providers: [PlanningStore, PlanningService, PlanningDigestService],
  exports: [PlanningService],
})
export class PlanningModule {}
