import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { DeliveryModule } from '../delivery';
import { OkrsModule } from '../okrs';
import { PilotsModule } from '../pilots';
import { PlanningService } from './planning.service';
import { PlanningStore } from './planning.store';

/**
 * The planning dialogue (`planning_token`, `planning_entry`, `planning_revision`): the next quarter's
 * draft OKRs discussed through personal links before it starts, and the coach's decisions on what was said.
 */
@Module({
  imports: [AuditModule, DeliveryModule, OkrsModule, PilotsModule],
  providers: [PlanningStore, PlanningService],
  exports: [PlanningService],
})
export class PlanningModule {}
