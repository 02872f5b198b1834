import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { OrganizationsModule } from '../organizations';
import { WorkspacesModule } from '../workspaces';
import { PilotService } from './pilot.service';
import { PilotsStore } from './pilots.store';

/**
 * Pilot groups and their quarters (`pilot`, `quarter`): the lifecycle, the calendar, and the pilot and
 * quarter other features ask for by id.
 */
@Module({
  imports: [AuditModule, OrganizationsModule, WorkspacesModule],
  providers: [PilotsStore, PilotService],
  exports: [PilotService],
})
export class PilotsModule {}
