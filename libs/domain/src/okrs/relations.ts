import { relation } from '../common/sql';

/** `check_in` as other features' set-based SQL may read it. */
export const CHECK_IN_ROWS = relation(
  `(SELECT id, workspace_id, created_at, organization_id, quarter_id, key_result_id, participant_id, week, current_value, done, confidence, note, recorded_on FROM check_in)`,
);

/** `objective` as other features' set-based SQL may read it. */
export const OBJECTIVE_ROWS = relation(
  `(SELECT id, workspace_id, created_at, quarter_id, pilot_id, organization_id, title, description, owner_id, level, position, carried_from_id, final_score, updated_at FROM objective)`,
);

/** `key_result` as other features' set-based SQL may read it. */
export const KEY_RESULT_ROWS = relation(
  `(SELECT id, workspace_id, created_at, objective_id, quarter_id, pilot_id, organization_id, title, kind, measure, start_value, target_value, unit, current_value, done, owner_id, confidence, recorded_at, final_score, scored_at, position, updated_at FROM key_result)`,
);
