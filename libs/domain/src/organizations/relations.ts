import { relation } from '../common/sql';

/** `organization` as other features' set-based SQL may read it. */
export const ORGANIZATION_ROWS = relation(
  `(SELECT id, workspace_id, name, sector, headcount, default_locale, time_zone, quiet_periods FROM organization)`,
);

/** `rollout` as other features' set-based SQL may read it. */
export const ROLLOUT_ROWS = relation(
  `(SELECT id, workspace_id, organization_id, goal, target_headcount, planned_waves, status, weekly_email_cap, quiet_hours_start, quiet_hours_end, readiness_thresholds FROM rollout)`,
);
