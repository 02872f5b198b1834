export * from './template.service';
export * from './templates.module';
