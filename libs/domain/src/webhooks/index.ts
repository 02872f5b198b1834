export * from './webhook-signature';
export * from './webhook-url';
export * from './webhook.service';
export * from './webhook-sender';
export * from './webhooks.module';
export * from './webhook-address';
export * from './webhook-egress';
export * from './webhook-secret-box';
