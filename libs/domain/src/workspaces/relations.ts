import { relation } from '../common/sql';

/** `member` as other features' set-based SQL may read it. */
export const MEMBER_ROWS = relation(`(SELECT id, workspace_id, email, name, role, accepted_at FROM member)`);

/** `sponsor_grant` as other features' set-based SQL may read it. */
export const SPONSOR_GRANT_ROWS = relation(
  `(SELECT id, workspace_id, member_id, organization_id FROM sponsor_grant)`,
);

/**
 * `workspace` as other features' set-based SQL may read it: whether its sign-up address is confirmed
 * (the outbox holds an unconfirmed workspace's mail).
 */
export const WORKSPACE_ROWS = relation(`(SELECT id, email_confirmed_at FROM workspace)`);
