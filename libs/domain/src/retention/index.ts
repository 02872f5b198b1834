export * from './retention-rules';
export * from './retention.service';
export * from './retention.module';
