export * from './report-charts';
export * from './report-csv';
export * from './report-html';
export * from './report-printer';
export * from './report-formats.service';
