export * from './dev-inbox.service';
export * from './dev-inbox.module';
