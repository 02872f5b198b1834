export * from './i18n';
export * from './format';
export { NAMESPACES } from './catalogue';
