export {
  QUESTION_SET_ROWS,
  RETROSPECTIVE_ROWS,
  INVITATION_ROWS,
  INVITATION_TOKEN_ROWS,
  RETROSPECTIVE_RESPONSE_ROWS,
  PENDING_ANSWER_ROWS,
} from './surveys.store';
export { ResponseService } from './response.service';
