export * from './template.service';
export * from './templates.module';
export { MESSAGE_TEMPLATE_ROWS } from './templates.store';
