import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LearningNote } from '@luotsi/database';
import { PILOT_ROWS, QUARTER_ROWS } from '../../pilots/relations';
import { Tenancy } from '../../tenancy/tenancy.service';


/**
 * The coaches' notes (`learning_note`): the only code that reads or writes them, in the actor's scope.
 */
@Injectable()
export class LearningNotesStore {
  constructor(private readonly tenancy: Tenancy) {}

  private notes(manager?: EntityManager) {
    return this.tenancy.repo(LearningNote, 'learning note', manager);
  }

  createNote(
    values: Pick<LearningNote, 'organizationId' | 'pilotId' | 'quarterId' | 'authorId' | 'body' | 'forNextWave'>,
    manager: EntityManager,
  ): Promise<LearningNote> {
    return this.notes(manager).create(values);
  }

  getNote(id: string, manager?: EntityManager, options: { lock?: boolean } = {}): Promise<LearningNote> {
    return this.notes(manager).get(id, options);
  }

  saveNote(note: LearningNote, manager: EntityManager): Promise<LearningNote> {
    return this.notes(manager).save(note);
  }

  removeNote(note: LearningNote, manager: EntityManager): Promise<void> {
    return this.notes(manager).remove(note);
  }

  /** The quarter's notes, newest first. */
  notesOfQuarter(quarterId: string): Promise<LearningNote[]> {
    return this.newestFirst().andWhere('n.quarterId = :quarterId', { quarterId }).getMany();
  }

  /** Every note of these pilots, newest first. */
  notesOfPilots(pilotIds: string[]): Promise<LearningNote[]> {
    if (!pilotIds.length) return Promise.resolve([]);
    return this.newestFirst().andWhere('n.pilotId IN (:...pilotIds)', { pilotIds }).getMany();
  }

  /**
   * The lessons a kickoff mail carries, read for the mail's own workspace (a job, no actor): when the
   * quarter is the first of a pilot created as a next wave (from a decision), the notes marked for the
   * next wave on the pilots of the wave before it in the same rollout, oldest first; otherwise none.
   */
  async lessonsForKickoff(
    manager: EntityManager,
    workspaceId: string,
    pilotId: string,
    quarterId: string,
  ): Promise<string[]> {
    const rows: { body: string }[] = await manager.query(
      `SELECT n.body
         FROM learning_note n
         JOIN ${PILOT_ROWS} p ON p.id = $2 AND p.workspace_id = $1 AND p.decision_id IS NOT NULL
         JOIN ${QUARTER_ROWS} q ON q.id = $3 AND q.pilot_id = p.id AND q.number = 1
         JOIN ${PILOT_ROWS} previous ON previous.id = n.pilot_id
          AND previous.rollout_id = p.rollout_id AND previous.wave_number = p.wave_number - 1
        WHERE n.workspace_id = $1 AND n.for_next_wave
        ORDER BY n.created_at, n.id`,
      [workspaceId, pilotId, quarterId],
    );
    return rows.map((row) => row.body);
  }

  private newestFirst() {
    return this.notes().query('n').orderBy('n.createdAt', 'DESC').addOrderBy('n.id', 'DESC');
  }
}
