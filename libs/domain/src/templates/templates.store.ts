import { relation } from '../common/sql';

/** The columns of `message_template` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const MESSAGE_TEMPLATE_ROWS = relation<
  | 'id'
  | 'workspace_id'
  | 'created_at'
  | 'name'
  | 'locale'
  | 'subject'
  | 'body'
  | 'updated_by_id'
  | 'updated_at'
>(
  `(SELECT id, workspace_id, created_at, name, locale, subject, body, updated_by_id, updated_at FROM message_template)`,
);
