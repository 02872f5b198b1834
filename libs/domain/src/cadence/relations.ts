import { relation } from '../common/sql';

/** `cadence_dispatch` as other features' set-based SQL may read it. */
export const CADENCE_DISPATCH_ROWS = relation(
  `(SELECT id, workspace_id, quarter_id, step_key, kind, step_date, recipients, skipped_reason, dispatched_at FROM cadence_dispatch)`,
);

/** `cadence_step` as other features' set-based SQL may read it. */
export const CADENCE_STEP_ROWS = relation(
  `(SELECT id, workspace_id, rollout_id, pilot_id, key, kind, template, audience, audience_level, texts FROM cadence_step)`,
);
