export * from './participant.service';
export * from './participant-csv';
export * from './email';
export * from './erased-mail';
export * from './participants.module';
export { PARTICIPANT_ROWS, PILOT_MEMBERSHIP_ROWS } from './participants.store';
