export * from './planning.service';
export * from './planning.module';
