import { relation } from '../common/sql';

/** The columns of `learning_report` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const LEARNING_REPORT_ROWS = relation<'id' | 'workspace_id' | 'created_at' | 'organization_id' | 'pilot_id' | 'quarter_id' | 'status' | 'generation' | 'progress' | 'stage' | 'content' | 'last_error' | 'requested_at' | 'built_at' | 'updated_at'>(
  `(SELECT id, workspace_id, created_at, organization_id, pilot_id, quarter_id, status, generation, progress, stage, content, last_error, requested_at, built_at, updated_at FROM learning_report)`,
);

/** The columns of `learning_note` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const LEARNING_NOTE_ROWS = relation<'id' | 'workspace_id' | 'created_at' | 'organization_id' | 'pilot_id' | 'quarter_id' | 'author_id' | 'body'>(
  `(SELECT id, workspace_id, created_at, organization_id, pilot_id, quarter_id, author_id, body FROM learning_note)`,
);

/** The columns of `readiness_report` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const READINESS_REPORT_ROWS = relation<'id' | 'workspace_id' | 'created_at' | 'organization_id' | 'rollout_id' | 'status' | 'progress' | 'verdict' | 'content' | 'last_error' | 'built_at' | 'updated_at' | 'generation'>(
  `(SELECT id, workspace_id, created_at, organization_id, rollout_id, status, progress, verdict, content, last_error, built_at, updated_at, generation FROM readiness_report)`,
);

/** The columns of `rollout_decision` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const ROLLOUT_DECISION_ROWS = relation<'id' | 'workspace_id' | 'created_at' | 'organization_id' | 'rollout_id' | 'readiness_report_id' | 'decision' | 'reason' | 'decided_by_id' | 'decided_at'>(
  `(SELECT id, workspace_id, created_at, organization_id, rollout_id, readiness_report_id, decision, reason, decided_by_id, decided_at FROM rollout_decision)`,
);

/** The columns of `report_share` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const REPORT_SHARE_ROWS = relation<'id' | 'workspace_id' | 'created_at' | 'organization_id' | 'report_kind' | 'report_id' | 'audience' | 'expires_at' | 'revoked_at' | 'created_by_id'>(
  `(SELECT id, workspace_id, created_at, organization_id, report_kind, report_id, audience, expires_at, revoked_at, created_by_id FROM report_share)`,
);
