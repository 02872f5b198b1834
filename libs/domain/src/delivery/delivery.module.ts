import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { DeliveryReportService } from './delivery-report.service';
import { DeliveryService } from './delivery.service';
import { OutboxService } from './outbox.service';
import { OutboxStore } from './outbox.store';
import { UnsubscribeService } from './unsubscribe.service';
import { UnsubscribeStore } from './unsubscribe.store';

/**
 * Mail to send and its sending: the outbox (`outbox_message`, behind `OutboxStore`), which the other
 * features fill through `OutboxService`; the send of each row; the coach's deliveries; unsubscribing
 * (`unsubscribe_token`, behind `UnsubscribeStore`; the participant's side is `UnsubscribeRecipients`, which
 * the participants feature provides: they ask the outbox, so this module cannot import theirs).
 */
@Module({
  imports: [AuditModule],
  providers: [
    OutboxStore,
    OutboxService,
    DeliveryService,
    DeliveryReportService,
    UnsubscribeStore,
    UnsubscribeService,
  ],
  exports: [OutboxService, DeliveryService, DeliveryReportService, UnsubscribeService],
})
export class DeliveryModule {}
