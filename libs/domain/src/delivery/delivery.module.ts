import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { DeliveryService } from './delivery.service';
import { OutboxService } from './outbox.service';
import { OutboxStore } from './outbox.store';
import { UnsubscribeService } from './unsubscribe.service';
import { UnsubscribeStore } from './unsubscribe.store';

/**
 * Mail to send and its sending: the outbox (`outbox_message`, behind `OutboxStore`), which the other
 * features fill through `OutboxService`; the send of each row; unsubscribing (`unsubscribe_token`, behind
 * `UnsubscribeStore`; the participant's side is `UnsubscribeRecipients`, which the participants feature
 * provides: they ask the outbox, so this module cannot import theirs). The coach's deliveries of a
 * quarter, by cadence step, are the cadence's (`DeliveryReportService`).
 */
@Module({
  imports: [AuditModule],
  providers: [OutboxStore, OutboxService, DeliveryService, UnsubscribeStore, UnsubscribeService],
  exports: [OutboxService, DeliveryService, UnsubscribeService],
})
export class DeliveryModule {}
