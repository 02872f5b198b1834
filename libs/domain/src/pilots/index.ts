export * from './pilot.service';
export * from './pilot-lifecycle';
export * from './quarter-calendar';
export * from './pilots.module';
