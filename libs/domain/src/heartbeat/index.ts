export * from './heartbeat.service';
export * from './heartbeat.module';
