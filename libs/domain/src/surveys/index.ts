export * from './question-set';
export * from './question-set.service';
export * from './retrospective-runs';
export * from './retrospective-steps';
export * from './retrospective.service';
export * from './retrospective-people';
export * from './response.service';
export * from './answer-batches';
export * from './surveys.module';
export { QUESTION_SET_ROWS, RETROSPECTIVE_ROWS } from './surveys.store';
export {
  INVITATION_ROWS,
  INVITATION_TOKEN_ROWS,
  RETROSPECTIVE_RESPONSE_ROWS,
  PENDING_ANSWER_ROWS,
} from './answers.store';
