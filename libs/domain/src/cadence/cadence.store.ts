import { relation } from '../common/sql';

/** The columns of `cadence_step` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const CADENCE_STEP_ROWS = relation<
  | 'id'
  | 'workspace_id'
  | 'created_at'
  | 'rollout_id'
  | 'key'
  | 'position'
  | 'kind'
  | 'anchor'
  | 'offset_days'
  | 'send_time'
  | 'template'
  | 'audience'
>(
  `(SELECT id, workspace_id, created_at, rollout_id, key, position, kind, anchor, offset_days, send_time, template, audience FROM cadence_step)`,
);

/** The columns of `cadence_dispatch` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const CADENCE_DISPATCH_ROWS = relation<
  | 'id'
  | 'workspace_id'
  | 'quarter_id'
  | 'step_key'
  | 'kind'
  | 'step_date'
  | 'recipients'
  | 'skipped_reason'
  | 'dispatched_at'
>(
  `(SELECT id, workspace_id, quarter_id, step_key, kind, step_date, recipients, skipped_reason, dispatched_at FROM cadence_dispatch)`,
);
