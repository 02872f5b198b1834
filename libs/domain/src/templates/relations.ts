import { relation } from '../common/sql';

/** `message_template` as other features' set-based SQL may read it. */
export const MESSAGE_TEMPLATE_ROWS = relation(
  `(SELECT id, workspace_id, created_at, organization_id, rollout_id, name, locale, subject, body, updated_by_id, updated_at FROM message_template)`,
);
