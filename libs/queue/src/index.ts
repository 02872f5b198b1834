export * from './queue-catalogue';
export * from './job-producer';
export * from './queue.module';
export * from './redis-connection';
export * from './queue-connection';
export * from './kept-scheduler';
