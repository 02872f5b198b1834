import type { DataSource } from 'typeorm';

/**
 * A comment on an objective by a participant of its pilot, stored as the planning page stores one (for
 * walks over every route, which need a real entry of each kind; the page itself is tested in
 * planning-dialogue and planning-browser). Returns the entry's id.
 */
export async function seedPlanningEntry(
  db: Pick<DataSource, 'query'>,
  objectiveId: string,
  participantId: string,
  body: string,
): Promise<string> {
  const [row] = await db.query(
    `INSERT INTO planning_entry (workspace_id, quarter_id, pilot_id, objective_id, participant_id, kind, body)
     SELECT o.workspace_id, o.quarter_id, o.pilot_id, o.id, $2, 'comment', $3 FROM objective o WHERE o.id = $1
     RETURNING id`,
    [objectiveId, participantId, body],
  );
  if (!row) throw new Error(`no objective ${objectiveId}`);
  return row.id as string;
}
