export * from './default-cadence';
export * from './cadence.service';
export * from './cadence-scheduler';
export * from './cadence-ticker';
export * from './delivery-report.service';
export * from './step-preview.service';
export * from './step-plan';
export * from './cadence.module';
