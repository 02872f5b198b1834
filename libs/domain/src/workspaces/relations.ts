import { relation } from '../common/sql';

/** `member` as other features' set-based SQL may read it. */
export const MEMBER_ROWS = relation(`(SELECT id, workspace_id, email, name, role, accepted_at FROM member)`);

/** `sponsor_grant` as other features' set-based SQL may read it. */
export const SPONSOR_GRANT_ROWS = relation(
  `(SELECT id, workspace_id, member_id, organization_id FROM sponsor_grant)`,
);
