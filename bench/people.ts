import type { Client } from 'pg';

export interface PilotRef {
  workspaceId: string;
  organizationId: string;
  pilotId: string;
}

/**
 * `count` participants in the pilot, set-based: a Finnish agency's mix (seven in ten write Finnish,
 * two Swedish, one English; one in twelve is management, the rest staff).
 */
export async function seedPeople(db: Client, pilot: PilotRef, count: number): Promise<void> {
  await db.query(
    `WITH people AS (
       INSERT INTO participant (workspace_id, email, name, locale, time_zone, level)
       SELECT $1, 'p' || g || '.' || left($2::uuid::text, 8) || '@example.fi', 'Henkilö ' || g,
              CASE WHEN g % 10 < 7 THEN 'fi' WHEN g % 10 < 9 THEN 'sv' ELSE 'en' END,
              'Europe/Helsinki', CASE WHEN g % 12 = 0 THEN 'management' ELSE 'staff' END
       FROM generate_series(1, $4::int) g
       RETURNING id)
     INSERT INTO pilot_membership (workspace_id, pilot_id, participant_id, organization_id)
     SELECT $1, $2::uuid, id, $3 FROM people`,
    [pilot.workspaceId, pilot.pilotId, pilot.organizationId, count],
  );
}

/** The calendar quarter (`2027-Q1`) that holds the given instant. */
export function quarterLabel(at: Date): string {
  return `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
}
