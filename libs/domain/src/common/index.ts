export * from './errors';
export * from './clock';
export * from './reactions';
export * from './page';
export * from './tokens';
export * from './time-zone';
export * from './sql';
export * from './csv';
