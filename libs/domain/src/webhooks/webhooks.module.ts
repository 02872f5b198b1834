import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { WebhookEgress, WebhookResolver } from './webhook-egress';
import { WebhookSender } from './webhook-sender';
import { WebhookService } from './webhook.service';
import { WebhooksStore } from './webhooks.store';

/**
 * Webhooks (`webhook_endpoint`, `webhook_delivery`): an owner's endpoints, the announcements other
 * features make through `WebhookService.emit`, and the worker's signed deliveries (`WebhookSender`).
 */
@Module({
  imports: [AuditModule],
  providers: [WebhooksStore, WebhookService, WebhookSender, WebhookEgress, WebhookResolver],
  exports: [WebhookService, WebhookSender],
})
export class WebhooksModule {}
