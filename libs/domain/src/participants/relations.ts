import { relation } from '../common/sql';

/** `participant` as other features' set-based SQL may read it. */
export const PARTICIPANT_ROWS = relation(
  `(SELECT id, workspace_id, created_at, email, name, locale, time_zone, level, unsubscribed_at,
          bounced_at, bounce_reason, updated_at FROM participant)`,
);

/** `pilot_membership` as other features' set-based SQL may read it. */
export const PILOT_MEMBERSHIP_ROWS = relation(
  `(SELECT id, workspace_id, created_at, pilot_id, participant_id, organization_id FROM pilot_membership)`,
);
