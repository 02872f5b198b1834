export * from './participant.service';
export * from './participant-csv';
export * from './email';
export * from './erased-mail';
export * from './participants.module';
