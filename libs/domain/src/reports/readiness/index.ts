export * from './readiness-thresholds';
export * from './readiness-evidence';
export * from './readiness-gates';
export * from './readiness-report.service';
export * from './rollout-decision.service';
