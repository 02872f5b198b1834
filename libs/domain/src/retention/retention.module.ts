import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery';
import { OkrsModule } from '../okrs';
import { PlanningModule } from '../planning';
import { ReportsModule } from '../reports';
import { WebhooksModule } from '../webhooks';
import { WorkspacesModule } from '../workspaces';
import { RetentionService } from './retention.service';
import { RetentionStore } from './retention.store';

/** Retention (`retention_run`): the periods after which finished rows of other features are deleted. */
@Module({
  imports: [DeliveryModule, WebhooksModule, OkrsModule, PlanningModule, WorkspacesModule, ReportsModule],
  providers: [RetentionStore, RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
