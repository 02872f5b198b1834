export * from './config.schema';
export * from './app-config';
export * from './config.module';
export * from './logging.module';
export * from './shutdown';
export * from './trust-proxy';
