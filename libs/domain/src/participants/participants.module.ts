import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { BounceRecipients, DeliveryModule, UnsubscribeRecipients } from '../delivery';
import { DevInboxModule } from '../dev-inbox';
import { OrganizationsModule } from '../organizations';
import { PilotsModule } from '../pilots';
import { WebhooksModule } from '../webhooks';
import { ParticipantService } from './participant.service';
import { ParticipantsStore } from './participants.store';

/**
 * The people in pilots (`participant`, `pilot_membership`): adding and importing them, their erasure,
 * and what unsubscribing and bounces ask of them (`UnsubscribeRecipients`, `BounceRecipients`, the
 * delivery feature's ports).
 */
@Module({
  imports: [AuditModule, DeliveryModule, DevInboxModule, OrganizationsModule, PilotsModule, WebhooksModule],
  providers: [
    ParticipantsStore,
    ParticipantService,
    { provide: UnsubscribeRecipients, useExisting: ParticipantService },
    { provide: BounceRecipients, useExisting: ParticipantService },
  ],
  exports: [ParticipantService, UnsubscribeRecipients, BounceRecipients],
})
export class ParticipantsModule {}
