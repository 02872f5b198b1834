import { Injectable } from '@nestjs/common';
import type { LearningNote, Member, Pilot, Quarter } from '@luotsi/database';
import { InvalidInputError } from '../../common/errors';
import { Tenancy } from '../../tenancy/tenancy.service';
import { LearningNotesStore } from './learning-notes.store';
import { AuditLog } from '../../audit';
import { RolloutService } from '../../organizations';
import { PilotService } from '../../pilots';
import { MemberService } from '../../workspaces';

export const MAX_NOTE_LENGTH = 4000;

export interface LearningNoteView {
  id: string;
  pilotId: string;
  quarterId: string;
  body: string;
  /** Marked by the coach as a lesson for the next wave: its pilots' kickoff mail shows it. */
  forNextWave: boolean;
  author: { id: string; name: string } | null;
  createdAt: Date;
}

/** A note as offered to the next wave: with the pilot and quarter it was learned in. */
export interface RolloutLearningNoteView extends LearningNoteView {
  pilotName: string;
  waveNumber: number;
  quarterLabel: string;
}

const view = (note: LearningNote): LearningNoteView => ({
  id: note.id,
  pilotId: note.pilotId,
  quarterId: note.quarterId,
  body: note.body,
  forNextWave: note.forNextWave,
  author: note.author ? { id: note.author.id, name: note.author.name } : null,
  createdAt: note.createdAt,
});

/**
 * "What we learned": the coach's notes on a pilot quarter. They sit beside the learning report (not in
 * its built content, so a note never waits for a rebuild) and are offered, per rollout, to the pilots
 * of the next wave.
 */
@Injectable()
export class LearningNoteService {
  constructor(
    private readonly store: LearningNotesStore,
    private readonly tenancy: Tenancy,
    private readonly audit: AuditLog,
    private readonly rollouts: RolloutService,
    private readonly pilots: PilotService,
    private readonly members: MemberService,
  ) {}

  async add(
    quarterId: string,
    body: string | undefined,
    options: { forNextWave?: boolean } = {},
  ): Promise<LearningNoteView> {
    const quarter = await this.pilots.quarter(quarterId);
    const text = body?.trim() ?? '';
    if (!text || text.length > MAX_NOTE_LENGTH)
      throw new InvalidInputError('The note is empty or too long; nothing was saved.', [
        { field: 'body', reason: text ? `at most ${MAX_NOTE_LENGTH} characters` : 'must not be blank' },
      ]);
    const id = await this.tenancy.transaction(async (manager) => {
      const note = await this.store.createNote(
        {
        organizationId: quarter.organizationId,
        pilotId: quarter.pilotId,
        quarterId: quarter.id,
        authorId: this.tenancy.actor.memberId,
        body: text,
        forNextWave: options.forNextWave === true,
        },
        manager,
      );
      await this.audit.record(
        {
          action: 'learning_note.added',
          entityType: 'learning_note',
          entityId: note.id,
          details: { quarterId: quarter.id, forNextWave: options.forNextWave === true },
        },
        manager,
      );
      return note.id;
    });
    const [note] = await this.withAuthors([await this.store.getNote(id)]);
    return view(note);
  }

  /** The quarter's notes, newest first. */
  async listForQuarter(quarterId: string): Promise<LearningNoteView[]> {
    await this.pilots.quarter(quarterId);
    const notes = await this.withAuthors(await this.store.notesOfQuarter(quarterId));
    return notes.map(view);
  }

  /**
   * Marks the note as a lesson for the next wave, or takes the mark off. The next wave's pilots show
   * the marked notes of the wave before them in their kickoff mail (see `NextWaveLessons`).
   */
  async mark(id: string, forNextWave: boolean): Promise<LearningNoteView> {
    await this.tenancy.transaction(async (manager) => {
      const note = await this.store.getNote(id, manager, { lock: true });
      if (note.forNextWave === forNextWave) return;
      note.forNextWave = forNextWave;
      await this.store.saveNote(note, manager);
      await this.audit.record(
        {
          action: forNextWave ? 'learning_note.marked_for_next_wave' : 'learning_note.unmarked_for_next_wave',
          entityType: 'learning_note',
          entityId: id,
          details: { quarterId: note.quarterId, pilotId: note.pilotId },
        },
        manager,
      );
    });
    const [note] = await this.withAuthors([await this.store.getNote(id)]);
    return view(note);
  }

  async remove(id: string): Promise<void> {
    await this.tenancy.transaction(async (manager) => {
      const note = await this.store.getNote(id, manager);
      await this.store.removeNote(note, manager);
      await this.audit.record(
        {
          action: 'learning_note.deleted',
          entityType: 'learning_note',
          entityId: id,
          details: { quarterId: note.quarterId, body: note.body },
        },
        manager,
      );
    });
  }

  /** Every note of the rollout's pilots, newest first: what the next wave starts from. */
  async listForRollout(rolloutId: string): Promise<RolloutLearningNoteView[]> {
    await this.rollouts.get(rolloutId);
    const pilots = await this.pilots.pilotsOfRollout(rolloutId);
    const rows = await this.withAuthors(await this.store.notesOfPilots(pilots.map((p) => p.id)));
    const quarters = await this.pilots.quartersByIds(rows.map((n) => n.quarterId));
    const pilotById = new Map(pilots.map((p) => [p.id, p]));
    const quarterById = new Map(quarters.map((q) => [q.id, q]));
    const placed = rows.filter((note) => {
      const pilot = pilotById.get(note.pilotId);
      const quarter = quarterById.get(note.quarterId);
      if (!pilot || !quarter) return false;
      note.pilot = { id: pilot.id, name: pilot.name, waveNumber: pilot.waveNumber } as Pilot;
      note.quarter = { id: quarter.id, label: quarter.label } as Quarter;
      return true;
    });
    return placed.map((note) => ({
      ...view(note),
      pilotName: note.pilot!.name,
      waveNumber: note.pilot!.waveNumber,
      quarterLabel: note.quarter!.label,
    }));
  }

  /** The notes with their authors' id and name, asked of the members in one call. */
  private async withAuthors(notes: LearningNote[]): Promise<LearningNote[]> {
    const authors = await this.members.byIds(notes.map((n) => n.authorId));
    for (const note of notes) {
      const author = note.authorId ? authors.get(note.authorId) : undefined;
      if (author) note.author = { id: author.id, name: author.name } as Member;
    }
    return notes;
  }
}
