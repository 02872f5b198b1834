export * from './portfolio-order';
export * from './portfolio.service';
