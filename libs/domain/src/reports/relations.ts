import { relation } from '../common/sql';

/** `learning_report` as other features' set-based SQL may read it. */
export const LEARNING_REPORT_ROWS = relation(
  `(SELECT id, workspace_id, created_at, organization_id, pilot_id, quarter_id, status, generation, progress, stage, content, last_error, requested_at, built_at, updated_at FROM learning_report)`,
);

/** `learning_note` as other features' set-based SQL may read it. */
export const LEARNING_NOTE_ROWS = relation(
  `(SELECT id, workspace_id, created_at, organization_id, pilot_id, quarter_id, author_id, body FROM learning_note)`,
);

/** `readiness_report` as other features' set-based SQL may read it. */
export const READINESS_REPORT_ROWS = relation(
  `(SELECT id, workspace_id, created_at, organization_id, rollout_id, status, progress, verdict, content, last_error, built_at, updated_at, generation FROM readiness_report)`,
);

/** `rollout_decision` as other features' set-based SQL may read it. */
export const ROLLOUT_DECISION_ROWS = relation(
  `(SELECT id, workspace_id, created_at, organization_id, rollout_id, readiness_report_id, decision, reason, decided_by_id, decided_at FROM rollout_decision)`,
);

/** `report_share` as other features' set-based SQL may read it. */
export const REPORT_SHARE_ROWS = relation(
  `(SELECT id, workspace_id, created_at, organization_id, report_kind, report_id, audience, expires_at, revoked_at, created_by_id FROM report_share)`,
);
