import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LearningNote } from '@luotsi/database';
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
    values: Pick<LearningNote, 'organizationId' | 'pilotId' | 'quarterId' | 'authorId' | 'body'>,
    manager: EntityManager,
  ): Promise<LearningNote> {
    return this.notes(manager).create(values);
  }

  getNote(id: string, manager?: EntityManager): Promise<LearningNote> {
    return this.notes(manager).get(id);
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

  private newestFirst() {
    return this.notes().query('n').orderBy('n.createdAt', 'DESC').addOrderBy('n.id', 'DESC');
  }
}
