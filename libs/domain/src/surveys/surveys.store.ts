import { relation } from '../common/sql';

/** The columns of `question_set` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const QUESTION_SET_ROWS = relation<
  'id' | 'workspace_id' | 'created_at' | 'name' | 'description' | 'questions' | 'based_on' | 'updated_at'
>(
  `(SELECT id, workspace_id, created_at, name, description, questions, based_on, updated_at FROM question_set)`,
);

/** The columns of `retrospective` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const RETROSPECTIVE_ROWS = relation<
  | 'id'
  | 'workspace_id'
  | 'created_at'
  | 'quarter_id'
  | 'pilot_id'
  | 'organization_id'
  | 'question_set_ref'
  | 'questions'
  | 'anonymity'
  | 'min_group_size'
  | 'state'
  | 'opened_at'
  | 'closes_at'
  | 'closed_at'
>(
  `(SELECT id, workspace_id, created_at, quarter_id, pilot_id, organization_id, question_set_ref, questions, anonymity, min_group_size, state, opened_at, closes_at, closed_at FROM retrospective)`,
);

/** The columns of `invitation` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const INVITATION_ROWS = relation<
  | 'id'
  | 'workspace_id'
  | 'created_at'
  | 'retrospective_id'
  | 'participant_id'
  | 'expires_at'
  | 'used'
  | 'level'
  | 'locale'
>(
  `(SELECT id, workspace_id, created_at, retrospective_id, participant_id, expires_at, used, level, locale FROM invitation)`,
);

/** The columns of `invitation_token` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const INVITATION_TOKEN_ROWS = relation<'invitation_id' | 'created_at'>(
  `(SELECT invitation_id, created_at FROM invitation_token)`,
);

/** The columns of `retrospective_response` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const RETROSPECTIVE_RESPONSE_ROWS = relation<
  | 'id'
  | 'workspace_id'
  | 'retrospective_id'
  | 'participant_id'
  | 'level'
  | 'locale'
  | 'answers'
  | 'submitted_on'
>(
  `(SELECT id, workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on FROM retrospective_response)`,
);

/** The columns of `pending_answer` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const PENDING_ANSWER_ROWS = relation<
  'id' | 'workspace_id' | 'retrospective_id' | 'level' | 'locale' | 'answers'
>(`(SELECT id, workspace_id, retrospective_id, level, locale, answers FROM pending_answer)`);
