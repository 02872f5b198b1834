import { relation } from '../common/sql';

/** `invitation` as other features' set-based SQL may read it. */
export const INVITATION_ROWS = relation(
  `(SELECT id, workspace_id, created_at, retrospective_id, participant_id, expires_at, used, level, locale FROM invitation)`,
);

/** `invitation_token` as other features' set-based SQL may read it. */
export const INVITATION_TOKEN_ROWS = relation(`(SELECT invitation_id, created_at FROM invitation_token)`);

/** `retrospective_response` as other features' set-based SQL may read it. */
export const RETROSPECTIVE_RESPONSE_ROWS = relation(
  `(SELECT id, workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on FROM retrospective_response)`,
);

/** `pending_answer` as other features' set-based SQL may read it. */
export const PENDING_ANSWER_ROWS = relation(
  `(SELECT id, workspace_id, retrospective_id, level, locale, answers FROM pending_answer)`,
);

/** `question_set` as other features' set-based SQL may read it. */
export const QUESTION_SET_ROWS = relation(
  `(SELECT id, workspace_id, created_at, name, description, questions, based_on, updated_at FROM question_set)`,
);

/** `retrospective` as other features' set-based SQL may read it. */
export const RETROSPECTIVE_ROWS = relation(
  `(SELECT id, workspace_id, created_at, quarter_id, pilot_id, organization_id, question_set_ref, questions, anonymity, min_group_size, state, opened_at, closes_at, closed_at FROM retrospective)`,
);
