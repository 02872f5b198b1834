export * from './organization.service';
export * from './rollout.service';
export * from './organizations.module';
