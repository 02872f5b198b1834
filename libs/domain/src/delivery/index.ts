export * from './outbox-mail';
export * from './outbox.service';
export * from './delivery.service';
export * from './delivery-failure';
export * from './unsubscribe.service';
export * from './nudge-hygiene';
export * from './delivery.module';
