export * from './organization.service';
export * from './rollout.service';
export * from './organizations.module';
export { ORGANIZATION_ROWS, ROLLOUT_ROWS } from './organizations.store';
