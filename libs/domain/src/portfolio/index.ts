export * from './portfolio-order';
export * from './portfolio.service';
export * from './portfolio.module';
