import { relation } from '../common/sql';

/** The columns of `unsubscribe_token` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const UNSUBSCRIBE_TOKEN_ROWS = relation<'workspace_id' | 'participant_id' | 'created_at'>(
  `(SELECT workspace_id, participant_id, created_at FROM unsubscribe_token)`,
);
