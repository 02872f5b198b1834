import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { DeliveryModule, UnsubscribeRecipients } from '../delivery';
import { DevInboxModule } from '../dev-inbox';
import { OrganizationsModule } from '../organizations';
import { PilotsModule } from '../pilots';
import { WebhooksModule } from '../webhooks';
import { ParticipantService } from './participant.service';
import { ParticipantsStore } from './participants.store';

/**
 * The people in pilots (`participant`, `pilot_membership`): adding and importing them, their erasure,
 * and what unsubscribing asks of them (`UnsubscribeRecipients`, the delivery feature's port).
 */
@Module({
  imports: [AuditModule, DeliveryModule, DevInboxModule, OrganizationsModule, PilotsModule, WebhooksModule],
  providers: [
    ParticipantsStore,
    ParticipantService,
    { provide: UnsubscribeRecipients, useExisting: ParticipantService },
  ],
  exports: [ParticipantService, UnsubscribeRecipients],
})
export class ParticipantsModule {}
