import { CHECK_IN_ROWS, OBJECTIVE_ROWS, KEY_RESULT_ROWS } from '../okrs/relations';
import { PARTICIPANT_ROWS, PILOT_MEMBERSHIP_ROWS } from '../participants/relations';
import { INVITATION_ROWS, RETROSPECTIVE_ROWS } from '../surveys/relations';
import { MEMBER_ROWS, SPONSOR_GRANT_ROWS } from '../workspaces/relations';
import type { MailRecipients } from './outbox-mail';

// The audiences of a fan-out, for `OutboxStore.fanOut`: other features' rows, read through their relations.

/**
 * The recipients of a fan-out as a query of (participant_id, member_id, time_zone, status), on the
 * fan-out's parameters ($1 workspace, $3 quarter, $4 pilot) and its own, from $12. A member has no
 * time zone of their own: the mail's applies.
 */
export function recipientsOf(to: MailRecipients): { sql: string; values: unknown[] } {
  const members = `SELECT NULL::uuid AS participant_id, m.id AS member_id, NULL::text AS time_zone, 'pending' AS status`;
  if ('participants' in to) {
    const which = PARTICIPANT_FILTERS[to.participants];
    return {
      sql: `SELECT pa.id AS participant_id, NULL::uuid AS member_id, pa.time_zone,
                   CASE WHEN pa.unsubscribed_at IS NULL THEN 'pending' ELSE 'suppressed' END AS status
            FROM ${PILOT_MEMBERSHIP_ROWS} m JOIN ${PARTICIPANT_ROWS} pa ON pa.id = m.participant_id
            WHERE m.pilot_id = $4 AND m.workspace_id = $1 ${which}
              AND ($12::text IS NULL OR pa.level = $12::text)`,
      values: [to.level ?? null],
    };
  }
  if ('invitationsOf' in to)
    return {
      sql: `SELECT p.id AS participant_id, NULL::uuid AS member_id, p.time_zone, 'pending' AS status
            FROM ${INVITATION_ROWS} i JOIN ${PARTICIPANT_ROWS} p ON p.id = i.participant_id
            WHERE i.retrospective_id = $12 AND p.unsubscribed_at IS NULL AND (NOT $13::boolean OR NOT i.used)
              AND ($14::uuid[] IS NULL OR i.participant_id = ANY($14::uuid[]))`,
      values: [to.invitationsOf, to.unanswered, to.only ?? null],
    };
  if ('participantsIn' in to)
    return {
      sql: `SELECT pa.id AS participant_id, NULL::uuid AS member_id, pa.time_zone, 'pending' AS status
            FROM ${PILOT_MEMBERSHIP_ROWS} m JOIN ${PARTICIPANT_ROWS} pa ON pa.id = m.participant_id
            WHERE m.pilot_id = $4 AND m.workspace_id = $1 AND pa.unsubscribed_at IS NULL
              AND pa.id = ANY($12::uuid[])`,
      values: [to.participantsIn],
    };
  if ('members' in to)
    return {
      sql: `${members} FROM ${MEMBER_ROWS} m WHERE m.id = ANY($12::uuid[]) AND m.workspace_id = $1`,
      values: [to.members],
    };
  return {
    sql: `${members} FROM ${MEMBER_ROWS} m JOIN ${SPONSOR_GRANT_ROWS} g ON g.member_id = m.id
          WHERE m.workspace_id = $1 AND m.role = 'sponsor' AND g.organization_id = $12`,
    values: [to.sponsorsOf],
  };
}

/** Which of the pilot's participants a participants' fan-out keeps, on its quarter ($3). */
const PARTICIPANT_FILTERS: Record<'all' | 'owners' | 'not_checked_in' | 'not_answered', string> = {
  all: '',
  owners: `AND EXISTS (SELECT 1 FROM ${KEY_RESULT_ROWS} kr JOIN ${OBJECTIVE_ROWS} o ON o.id = kr.objective_id
                       WHERE kr.quarter_id = $3 AND COALESCE(kr.owner_id, o.owner_id) = pa.id)`,
  not_checked_in: `AND NOT EXISTS (SELECT 1 FROM ${CHECK_IN_ROWS} c WHERE c.quarter_id = $3 AND c.participant_id = pa.id)`,
  not_answered: `AND EXISTS (SELECT 1 FROM ${INVITATION_ROWS} i JOIN ${RETROSPECTIVE_ROWS} r ON r.id = i.retrospective_id
                             WHERE r.quarter_id = $3 AND i.participant_id = pa.id AND NOT i.used)`,
};
