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

  /** A note with its author. */
  noteWithAuthor(id: string): Promise<LearningNote> {
    return this.withAuthor().andWhere('n.id = :id', { id }).getOneOrFail();
  }

  /** The quarter's notes with their authors, newest first. */
  notesOfQuarter(quarterId: string): Promise<LearningNote[]> {
    return this.withAuthor()
      .andWhere('n.quarterId = :quarterId', { quarterId })
      .orderBy('n.createdAt', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .getMany();
  }

  /** Every note of the rollout's pilots with its author, pilot and quarter, newest first. */
  notesOfRollout(rolloutId: string): Promise<LearningNote[]> {
    return this.withAuthor()
      .innerJoin('n.pilot', 'p')
      .innerJoin('n.quarter', 'q')
      .addSelect(['p.id', 'p.name', 'p.waveNumber', 'q.id', 'q.label'])
      .andWhere('p.rolloutId = :rolloutId', { rolloutId })
      .orderBy('n.createdAt', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .getMany();
  }

  private withAuthor() {
    return this.notes().query('n').leftJoin('n.author', 'a').addSelect(['a.id', 'a.name']);
  }
}
