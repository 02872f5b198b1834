export * from './actor';
export * from './tenant-context';
export * from './scoped-repository';
export * from './tenancy.service';
