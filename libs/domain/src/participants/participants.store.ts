import { relation } from '../common/sql';

/** The columns of `participant` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const PARTICIPANT_ROWS = relation<
  | 'id'
  | 'workspace_id'
  | 'created_at'
  | 'email'
  | 'name'
  | 'locale'
  | 'time_zone'
  | 'level'
  | 'unsubscribed_at'
  | 'updated_at'
>(
  `(SELECT id, workspace_id, created_at, email, name, locale, time_zone, level, unsubscribed_at, updated_at FROM participant)`,
);

/** The columns of `pilot_membership` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const PILOT_MEMBERSHIP_ROWS = relation<
  'id' | 'workspace_id' | 'created_at' | 'pilot_id' | 'participant_id' | 'organization_id'
>(`(SELECT id, workspace_id, created_at, pilot_id, participant_id, organization_id FROM pilot_membership)`);
