export * from './participation-gate';
export * from './response-rate-gate';
export * from './checkin-rhythm-gate';
export * from './outcome-health-gate';
export * from './people-readiness-gate';
export * from './trend-gate';
export * from './capacity-gate';
