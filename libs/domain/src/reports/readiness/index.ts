export * from './readiness-thresholds';
export * from './readiness-evidence';
export * from './readiness-gates';
export * from './readiness-report.service';
export * from './rollout-decision.service';
export * from './next-wave.service';
export * from './next-wave-seeds';
