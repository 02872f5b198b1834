import { relation } from '../common/sql';

/** `learning_report` as other features' set-based SQL may read it. */
export const LEARNING_REPORT_ROWS = relation(
  `(SELECT id, workspace_id, created_at, organization_id, pilot_id, quarter_id, status, generation, progress, stage, content, last_error, requested_at, built_at, updated_at FROM learning_report)`,
);
