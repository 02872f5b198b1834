import { relation } from '../common/sql';

/** `invitation` as other features' set-based SQL may read it. */
export const INVITATION_ROWS = relation(
  `(SELECT id, workspace_id, created_at, retrospective_id, participant_id, expires_at, used, level, locale FROM invitation)`,
);

/** `retrospective_response` as other features' set-based SQL may read it. */
export const RETROSPECTIVE_RESPONSE_ROWS = relation(
  `(SELECT id, workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on FROM retrospective_response)`,
);

/** `retrospective` as other features' set-based SQL may read it. */
export const RETROSPECTIVE_ROWS = relation(
  `(SELECT id, workspace_id, created_at, quarter_id, pilot_id, organization_id, question_set_ref, questions, anonymity, min_group_size, state, opened_at, closes_at, closed_at FROM retrospective)`,
);
