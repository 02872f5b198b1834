import { relation } from '../common/sql';

/** `unsubscribe_token` as other features' set-based SQL may read it. */
export const UNSUBSCRIBE_TOKEN_ROWS = relation(
  `(SELECT workspace_id, participant_id, created_at FROM unsubscribe_token)`,
);
