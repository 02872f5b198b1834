export * from './webhook-signature';
export * from './webhook-url';
export * from './webhook.service';
export * from './webhook-sender';
export * from './webhooks.module';
