import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AnonymityMode, Level, Locale, Retrospective } from '@luotsi/database';
import { ConflictError, InputIssue, InvalidInputError } from '../common/errors';
import { Page, PageRequest } from '../common/page';
import { Tenancy } from '../tenancy/tenancy.service';
import { AnswersStore } from './answers.store';
import { SurveysStore } from './surveys.store';

/** One answer of a named run, with the name of who gave it. */
export interface NamedResponse {
  /** Null once the person has been erased: the answer stays, the name goes. */
  participantId: string | null;
  name: string | null;
  /** The level the answer counts in. */
  level: Level;
  locale: Locale;
  /** The day of the answer, never the time. */
  submittedOn: string;
  answers: Record<string, unknown>;
}

/** Someone invited to a run who has not answered yet. */
export interface NonResponder {
  participantId: string;
  name: string;
  email: string;
  /** The level frozen on the invitation when the run opened: where their answer will count. */
  level: Level;
  /** An unsubscribed person is not reminded. */
  unsubscribed: boolean;
}

/**
 * What the coach may see of people in each anonymity mode, in one place: `true`, or why not. Sponsors
 * and share links see none of it in any mode (the routes are the coach's; reports never carry names).
 */
export const PEOPLE_SHOWN: Record<
  AnonymityMode,
  Record<'answersWithNames' | 'nonResponders' | 'remindByName', true | string>
> = {
  anonymous: {
    answersWithNames: 'Answers of an anonymous run are linked to nobody: an anonymous run shows counts only.',
    nonResponders: 'An anonymous run shows counts only: who has or has not answered is never shown.',
    remindByName:
      'An anonymous run shows counts only, so nobody can be reminded by name; remind everyone who has not answered instead.',
  },
  confidential: {
    answersWithNames: 'Answers of a confidential run are never shown with names.',
    nonResponders: true,
    remindByName: true,
  },
  named: { answersWithNames: true, nonResponders: true, remindByName: true },
};

/** Refuses with the mode's reason (409) unless the mode shows `what`. */
function allow(run: Retrospective, what: keyof (typeof PEOPLE_SHOWN)[AnonymityMode]): void {
  const shown = PEOPLE_SHOWN[run.anonymity][what];
  if (shown !== true) throw new ConflictError(shown, { anonymity: run.anonymity });
}

/**
 * The coach's view of people in a run: answers with names (named runs only) and who has not answered
 * yet (confidential and named runs). Owners and coaches only; the run is found through the tenant scope,
 * and every statement below names its workspace as well.
 */
@Injectable()
export class RetrospectivePeople {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: SurveysStore,
    private readonly answers: AnswersStore,
  ) {}

  async responses(id: string, page: PageRequest): Promise<Page<NamedResponse>> {
    const run = await this.run(id);
    allow(run, 'answersWithNames');
    const total = await this.answers.countResponses(run.id, run.workspaceId);
    const items = await this.answers.namedResponses(run.id, run.workspaceId, page);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  async nonResponders(id: string, page: PageRequest): Promise<Page<NonResponder>> {
    const run = await this.run(id);
    allow(run, 'nonResponders');
    const total = await this.answers.countNonResponders(run.id, run.workspaceId);
    const items = await this.answers.nonResponders(run.id, run.workspaceId, page);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /**
   * Checks that each of `participantIds` can be reminded in this run: invited, not answered, not
   * unsubscribed. Every fault at once, each named by its place in the list; nothing is changed here.
   * Called inside the reminding transaction, with the run locked.
   */
  async checkReminderRecipients(
    manager: EntityManager,
    run: Retrospective,
    participantIds: string[],
  ): Promise<string[]> {
    allow(run, 'remindByName');
    if (!participantIds.length)
      throw new InvalidInputError('Name at least one person, or leave the list out to remind everyone.', [
        {
          field: 'participantIds',
          reason: 'must name at least one person (leave it out to remind everyone who has not answered)',
        },
      ]);
    const ids = participantIds.map((id) => id.toLowerCase());
    const rows = await this.answers.invitationsOf(manager, run.id, run.workspaceId, ids);
    const byId = new Map(rows.map((row) => [row.participant_id, row]));
    const issues: InputIssue[] = [];
    ids.forEach((id, index) => {
      const field = `participantIds[${index}]`;
      const row = byId.get(id);
      if (!row) issues.push({ field, reason: 'is not invited to this retrospective' });
      else if (row.used) issues.push({ field, reason: 'has already answered' });
      else if (row.unsubscribed) issues.push({ field, reason: 'has unsubscribed from mail' });
      else if (ids.indexOf(id) !== index)
        issues.push({ field, reason: `the same person as participantIds[${ids.indexOf(id)}]` });
    });
    if (issues.length)
      throw new InvalidInputError(
        'Only invited people who have not answered can be reminded; nobody was.',
        issues,
      );
    return ids;
  }

  private async run(id: string): Promise<Retrospective> {
    this.tenancy.requireRole('owner', 'coach');
    return this.store.getRun(id);
  }
}
