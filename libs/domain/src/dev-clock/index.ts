export * from './dev-clock.store';
export * from './shared-clock';
export * from './dev-clock.module';
