export { MESSAGE_TEMPLATE_ROWS } from './templates.store';
