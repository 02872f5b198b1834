import { Module } from '@nestjs/common';
import { CadenceModule } from '../cadence';
import { DeliveryModule } from '../delivery';
import { PortfolioService } from './portfolio.service';
import { PortfolioStore } from './portfolio.store';

/**
 * The coach's morning view over every pilot (`PortfolioService`). It owns no table: its store reads the
 * other features' rows through their relations, and it asks the cadence for the plan and the outbox for
 * failed mail.
 */
@Module({
  imports: [CadenceModule, DeliveryModule],
  providers: [PortfolioStore, PortfolioService],
  exports: [PortfolioService],
})
export class PortfolioModule {}
