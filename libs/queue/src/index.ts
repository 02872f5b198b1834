export * from './queue-catalogue';
export * from './job-producer';
export * from './queue.module';
export * from './redis-connection';
export * from './kept-scheduler';
