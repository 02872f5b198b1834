import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { OrganizationService } from './organization.service';
import { OrganizationsStore } from './organizations.store';
import { RolloutService } from './rollout.service';

/** Client organizations and their OKR rollouts (`organization`, `rollout`). */
@Module({
  imports: [AuditModule],
  providers: [OrganizationsStore, OrganizationService, RolloutService],
  exports: [OrganizationService, RolloutService],
})
export class OrganizationsModule {}
