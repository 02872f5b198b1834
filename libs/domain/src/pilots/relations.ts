import { relation } from '../common/sql';

/** `pilot` as other features' set-based SQL may read it. */
export const PILOT_ROWS = relation(
  `(SELECT id, workspace_id, created_at, rollout_id, organization_id, name, wave_number, levels, coach_id, start_quarter, quarter_count, state, planned_size, decision_id FROM pilot)`,
);

/** `quarter` as other features' set-based SQL may read it. */
export const QUARTER_ROWS = relation(
  `(SELECT id, workspace_id, pilot_id, organization_id, number, label, starts_on, ends_on, starts_at, ends_at, state, activated_at, closed_at FROM quarter)`,
);
