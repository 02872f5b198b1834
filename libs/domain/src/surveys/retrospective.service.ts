import { Injectable } from '@nestjs/common';
import { AnonymityMode, type Quarter, Retrospective } from '@luotsi/database';
import { Clock } from '../common/clock';
import { ConflictError } from '../common/errors';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { OutboxService } from '../delivery';
import { PilotService } from '../pilots';
import { RetrospectivePeople } from './retrospective-people';
import { AnswersStore } from './answers.store';
import { SurveysStore } from './surveys.store';
import { QuestionSetService } from './question-set.service';
import { BUILTIN_SET_REF, DEFAULT_MIN_GROUP_SIZE, RetrospectiveRuns } from './retrospective-runs';

export interface OpenRetrospective {
  questionSetId?: string;
  anonymity?: AnonymityMode;
  minGroupSize?: number;
}

export interface RetrospectiveView extends Omit<Retrospective, 'questions'> {
  questions: unknown[];
  invited: number;
  responded: number;
  /** responded / invited, 0 when nobody was invited. */
  responseRate: number;
}

/** The coach's side of retrospectives: open, remind, close by hand, and the live response rate. */
@Injectable()
export class RetrospectiveService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly store: SurveysStore,
    private readonly invitations: AnswersStore,
    private readonly pilots: PilotService,
    private readonly audit: AuditLog,
    private readonly runs: RetrospectiveRuns,
    private readonly questionSets: QuestionSetService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly people: RetrospectivePeople,
  ) {}

  async listForQuarter(quarterId: string): Promise<RetrospectiveView[]> {
    return this.listOfQuarter(await this.pilots.quarter(quarterId));
  }

  /** The runs of a quarter the caller has already read through the tenant scope. */
  async listOfQuarter(quarter: Quarter): Promise<RetrospectiveView[]> {
    const runs = await this.store.runsOfQuarter(quarter.id);
    return Promise.all(runs.map((run) => this.view(run)));
  }

  async get(id: string): Promise<RetrospectiveView> {
    return this.view(await this.store.getRun(id));
  }

  /** Opens the quarter's run now and sends the invitations now. */
  async open(quarterId: string, input: OpenRetrospective): Promise<RetrospectiveView> {
    const set = await this.questionSets.resolve(input.questionSetId ?? BUILTIN_SET_REF);
    const run = await this.tenancy.transaction(async (manager) => {
      const quarter = await this.pilots.quarter(quarterId, manager);
      const run = await this.runs.open(manager, quarter.id, {
        questionSetRef: set.ref,
        questions: set.questions,
        anonymity: input.anonymity ?? 'anonymous',
        minGroupSize: input.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE,
      });
      const invited = await this.runs.sendInvitations(
        manager,
        run,
        { stepKey: 'retrospective-open', due: { at: this.clock.now() } },
        false,
      );
      await this.audit.record(
        {
          action: 'retrospective.opened',
          entityType: 'retrospective',
          entityId: run.id,
          details: { anonymity: run.anonymity, invited },
        },
        manager,
      );
      return run;
    });
    await this.outbox.queueDue();
    return this.get(run.id);
  }

  /**
   * Reminds those who have not answered, or, with `participantIds`, just those people (confidential and
   * named runs; each must be an invited non-responder, or nothing is sent). Two clicks in the same hour
   * send one reminder.
   */
  async remind(id: string, participantIds?: string[]): Promise<RetrospectiveView & { reminded: number }> {
    const reminded = await this.tenancy.transaction(async (manager) => {
      const run = await this.store.getRun(id, { lock: true }, manager);
      if (run.state !== 'open')
        throw new ConflictError('The retrospective is closed; nobody can be reminded.');
      const chosen = participantIds
        ? await this.people.checkReminderRecipients(manager, run, participantIds)
        : undefined;
      const hour = this.clock.now().toISOString().slice(0, 13).replace(/[-T]/g, '');
      // Outbox keys are `<quarter>.<step>.p<participant>`. A whole-run reminder's step is
      // `reminder-<hour>`; a reminder to chosen people is `remind-<hour>`, its own step: posting it twice
      // in the hour queues one mail per person, and a whole-run reminder later that hour (a different
      // step) still reaches them, as the cadence's reminder days do.
      const count = await this.runs.sendInvitations(
        manager,
        run,
        { stepKey: chosen ? `remind-${hour}` : `reminder-${hour}`, due: { at: this.clock.now() } },
        true,
        chosen,
      );
      await this.audit.record(
        {
          action: 'retrospective.reminded',
          entityType: 'retrospective',
          entityId: id,
          details: { reminded: count, ...(chosen ? { chosen: chosen.length } : {}) },
        },
        manager,
      );
      return count;
    });
    await this.outbox.queueDue();
    return { ...(await this.get(id)), reminded };
  }

  async close(id: string): Promise<RetrospectiveView> {
    await this.tenancy.transaction(async (manager) => {
      const run = await this.store.getRun(id, { lock: true }, manager);
      if (run.state !== 'open') throw new ConflictError('The retrospective is already closed.');
      await this.runs.close(manager, run);
      await this.audit.record(
        { action: 'retrospective.closed', entityType: 'retrospective', entityId: id },
        manager,
      );
    });
    return this.get(id);
  }

  private async view(run: Retrospective): Promise<RetrospectiveView> {
    const counts = await this.invitations.invitationCounts(run.id);
    return {
      ...run,
      invited: counts.invited,
      responded: counts.responded,
      responseRate: counts.invited ? counts.responded / counts.invited : 0,
    };
  }
}
