import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { BounceService } from './bounce.service';
import { DeliveryService } from './delivery.service';
import { OutboxService } from './outbox.service';
import { OutboxStore } from './outbox.store';
import { SendQuotaService } from './send-quota.service';
import { UnsubscribeService } from './unsubscribe.service';

/**
 * Mail to send and its sending: the outbox (`outbox_message`, behind `OutboxStore`), which the other
 * features fill through `OutboxService`; the send of each row; unsubscribing (`unsubscribe_token`, written
 * with the send that puts its link in a mail, so behind `OutboxStore` too; the participant's side is
 * `UnsubscribeRecipients`, which the participants feature provides: they ask the outbox, so this module
 * cannot import theirs); bounces (`BounceService`; the participant's side is `BounceRecipients`, alike); each workspace's daily
 * send quota (`send_quota`, `SendQuotaService`). The coach's deliveries of a quarter, by step, are the cadence's.
 */
@Module({
  imports: [AuditModule],
  providers: [
    OutboxStore,
    OutboxService,
    DeliveryService,
    UnsubscribeService,
    BounceService,
    SendQuotaService,
  ],
  exports: [OutboxService, DeliveryService, UnsubscribeService, BounceService, SendQuotaService],
})
export class DeliveryModule {}
