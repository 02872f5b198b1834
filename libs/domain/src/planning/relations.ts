import { relation } from '../common/sql';

/** `planning_entry` as other features' set-based SQL may read it: who wrote what kind on which draft, never the text. */
export const PLANNING_ENTRY_ROWS = relation(
  `(SELECT id, workspace_id, created_at, quarter_id, pilot_id, objective_id, key_result_id, participant_id, kind, status FROM planning_entry)`,
);

/** `planning_revision` as other features' set-based SQL may read it: which drafts an accepted rewording changed. */
export const PLANNING_REVISION_ROWS = relation(
  `(SELECT id, workspace_id, created_at, quarter_id, objective_id, key_result_id, entry_id FROM planning_revision)`,
);

/** `planning_token` as other features' set-based SQL may read it: who had a link to which quarter, never the hash. */
export const PLANNING_TOKEN_ROWS = relation(
  `(SELECT workspace_id, quarter_id, participant_id, created_at FROM planning_token)`,
);
