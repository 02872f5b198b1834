export * from './report-sharing.service';
export * from './report-mail';
