import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { OutboxMessage } from '@luotsi/database';
import { EnrichesMail } from '../../common/reactions';
import { ShortMemo } from '../../common/short-memo';
import { PlanningService } from '../../planning';
import { LearningNotesStore } from './learning-notes.store';

/** The built-in template of the kickoff prompt: the one with a section for the lessons. */
const KICKOFF_TEMPLATE = 'prompt-kickoff';

/**
 * What a prompt carries of its own: the kickoff of a next wave's first quarter shows the lessons the
 * coach marked for the next wave on the wave before it (and no other note). Every other prompt, and the
 * kickoff of any other pilot or quarter, carries nothing more. A kickoff of a quarter planned in
 * dialogue also links to the OKRs the dialogue settled (the planning feature's link).
 */
@Injectable()
export class NextWaveLessons {
  /** A kickoff goes to the whole pilot at once; its lessons are read once per quarter, not per mail. */
  private readonly lessons = new ShortMemo<string[]>();

  constructor(
    private readonly notes: LearningNotesStore,
    private readonly planning: PlanningService,
  ) {}

  @EnrichesMail('prompt')
  async enrich(
    manager: EntityManager,
    row: OutboxMessage,
    recipient: { participantId: string | null },
  ): Promise<Record<string, unknown>> {
    if (row.template !== KICKOFF_TEMPLATE || !row.pilotId || !row.quarterId) return {};
    const { workspaceId, pilotId, quarterId } = row as { workspaceId: string; pilotId: string; quarterId: string };
    const lessons = await this.lessons.get(quarterId, () =>
      this.notes.lessonsForKickoff(manager, workspaceId, pilotId, quarterId),
    );
    const links = await this.planning.kickoffLinks(manager, row, recipient);
    return { ...(lessons.length ? { lessons } : {}), ...(links ? { links } : {}) };
  }
}
