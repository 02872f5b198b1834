import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { OutboxMessage } from '@luotsi/database';
import { EnrichesMail } from '../../common/reactions';
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
    const lessons = await this.notes.lessonsForKickoff(manager, row.workspaceId, row.pilotId, row.quarterId);
    const links = await this.planning.kickoffLinks(manager, row, recipient);
    return { ...(lessons.length ? { lessons } : {}), ...(links ? { links } : {}) };
  }
}
