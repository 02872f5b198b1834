import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import type {
  KeyResultKind,
  KeyResultMeasure,
  Locale,
  OutboxMessage,
  PlanningEntryKind,
  PlanningEntryStatus,
} from '@luotsi/database';
import { Clock } from '../common/clock';
import { ConflictError, InputIssue, InvalidInputError, NotFoundError } from '../common/errors';
import { EnrichesMail, HandlesStep } from '../common/reactions';
import { Refusal, refused, Refused, unknownLink } from '../common/refusal';
import { ShortMemo } from '../common/short-memo';
import { hashToken, newToken } from '../common/tokens';
import { Tenancy } from '../tenancy/tenancy.service';
import { TenantContext } from '../tenancy/tenant-context';
import { systemActor } from '../tenancy/actor';
import { AuditLog } from '../audit';
import { dueOfStep, DueStep } from '../cadence';
import { OutboxService } from '../delivery';
import { PilotService } from '../pilots';
import {
  KeyResultService,
  ObjectiveService,
  qualityHints,
  validateTitle,
  type HintCode,
  type KeyResultInput,
} from '../okrs';
import {
  DraftKeyResultRow,
  DraftObjectiveRow,
  EntryRow,
  PlannedQuarter,
  PlanningStore,
  PlanningTokenRow,
} from './planning.store';

/** The longest comment or reason a person may write on a draft. */
export const MAX_ENTRY_BODY = 2000;

/** Why a text with a NUL byte is refused. */
export const NUL_REASON = 'must not contain NUL bytes';

/** Tokens are `p_` and 43 base64url characters; anything else is unknown without a query. */
const TOKEN = /^p_[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The built-in kickoff: the quarter's first prompt, which links to the OKRs the dialogue settled. */
const KICKOFF_TEMPLATE = 'prompt-kickoff';

const EXPIRED: Refusal = { kind: 'gone', reason: 'expired' };
const CLOSED: Refusal = { kind: 'gone', reason: 'closed' };

export interface PlanningEntryView {
  id: string;
  objectiveId: string;
  keyResultId: string | null;
  participantId: string;
  authorName: string;
  kind: PlanningEntryKind;
  body: string;
  proposedTitle: string | null;
  status: PlanningEntryStatus;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export interface DraftKeyResultView {
  id: string;
  title: string;
  kind: KeyResultKind;
  measure: KeyResultMeasure;
  start: number | null;
  target: number | null;
  unit: string;
  ownerId: string | null;
  ownerName: string | null;
  entries: PlanningEntryView[];
  /** Earlier wordings, oldest first: the draft's history through accepted rewordings. */
  previousTitles: string[];
}

export interface DraftObjectiveView {
  id: string;
  title: string;
  description: string;
  ownerId: string | null;
  ownerName: string | null;
  /** The coach's quality hints from the OKR rules (stable codes; the page words them). */
  hints: { code: HintCode; keyResultId?: string }[];
  entries: PlanningEntryView[];
  previousTitles: string[];
  keyResults: DraftKeyResultView[];
}

/** A quarter's drafts and their dialogue. `open` while the quarter has not started. */
export interface PlanningView {
  quarterId: string;
  quarterLabel: string;
  open: boolean;
  /** The day the dialogue closes: the day before the quarter starts (`YYYY-MM-DD`). */
  closesOn: string;
  objectives: DraftObjectiveView[];
}

/** What a planning link shows its person. */
export interface PlanningPage extends PlanningView {
  locale: Locale;
  participantId: string;
  participantName: string;
  pilotName: string;
}

export type PlanningLookup = { status: 'ok'; page: PlanningPage } | Refused;

/** The form fields of an objective owner's key result, and the key result's fields they stand for. */
export const KEY_RESULT_FIELDS = {
  krTitle: 'title',
  krKind: 'kind',
  krMeasure: 'measure',
  krStart: 'start',
  krTarget: 'target',
  krUnit: 'unit',
} as const;
export type KeyResultField = keyof typeof KEY_RESULT_FIELDS;

/** Why an owner's key result is refused when the person does not own its objective. */
export const NOT_OWNER_REASON = "only the objective's owner adds or edits its key results";

export type PlanningSubmitResult =
  /** `entryId`: the entry written or edited; `keyResultId`: the key result an objective's owner wrote. */
  | { status: 'saved'; page: PlanningPage; entryId?: string; keyResultId?: string }
  | { status: 'invalid'; page: PlanningPage; issues: InputIssue[]; values: Record<string, string> }
  | Refused;

const dayBefore = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * The planning dialogue on a quarter's draft OKRs. The drafts are the OKRs of a pilot's upcoming quarter
 * (the coach writes them through the OKR API as for any quarter); while that quarter has not started
 * they are open to the dialogue, and when it starts they are its OKRs and the dialogue locks.
 *
 * The `planning_open` step of a quarter (by default two weeks before its end, when the next quarter is
 * two weeks away) mails each participant a personal link to the next quarter's drafts, if it has any.
 * Through it a person comments on an objective or a key result, proposes a rewording, or offers to own
 * it; signed with their name, shown to the pilot, editable by its author until the quarter starts. The
 * coach accepts a rewording (the draft takes it; `planning_revision` keeps the previous wording) or an
 * offer to own (the draft gets its owner), and resolves the rest. The kickoff mail of a quarter planned
 * this way links to the final set through the same page, read-only.
 */
@Injectable()
export class PlanningService {
  /**
   * Whether a kickoff's quarter was planned in dialogue (and its facts), read once per quarter, not per
   * mail: the kickoff goes to the whole pilot at once, and the dialogue was settled before it.
   */
  private readonly plannedQuarters = new ShortMemo<PlannedQuarter | null>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenancy: Tenancy,
    private readonly store: PlanningStore,
    private readonly outbox: OutboxService,
    private readonly pilots: PilotService,
    private readonly objectives: ObjectiveService,
    private readonly keyResults: KeyResultService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly context: TenantContext,
  ) {}

  /**
   * The planning mail to the pilot's participants, when the next quarter is still to start and has draft
   * OKRs; nothing otherwise (a mail with nothing to discuss is noise).
   */
  @HandlesStep('planning_open')
  async open(step: DueStep, manager: EntityManager): Promise<number> {
    const next = await this.store.nextQuarter(manager, step.quarterId);
    if (!next || next.state !== 'upcoming') return 0;
    if (!(await this.store.objectiveCount(manager, next.id))) return 0;
    return this.outbox.fanOut(
      {
        workspaceId: step.workspaceId,
        quarterId: step.quarterId,
        pilotId: step.pilotId,
        kind: step.kind,
        template: step.template,
        origin: { stepKey: step.key },
        due: dueOfStep(step),
      },
      { participants: 'all' },
      manager,
    );
  }

  /** The participant's own link to the next quarter's drafts; the mail does not go without one. */
  @EnrichesMail('planning_open')
  async enrich(
    manager: EntityManager,
    row: OutboxMessage,
    recipient: { participantId: string | null },
  ): Promise<Record<string, unknown> | { suppress: string }> {
    const next = row.quarterId ? await this.store.nextQuarter(manager, row.quarterId) : null;
    if (!recipient.participantId || !next) return { suppress: 'no quarter to plan' };
    if (next.state !== 'upcoming') return { suppress: 'the quarter being planned has started' };
    const action = await this.link(
      manager,
      next.workspace_id,
      next.id,
      recipient.participantId,
      next.ends_at,
    );
    return {
      links: { action },
      planning: { quarterLabel: next.label, closesOn: dayBefore(next.starts_on) },
    };
  }

  /**
   * What the kickoff mail of a quarter planned in dialogue carries: the person's link to the final set.
   * Nothing for any other mail or quarter.
   */
  async kickoffLinks(
    manager: EntityManager,
    row: OutboxMessage,
    recipient: { participantId: string | null },
  ): Promise<{ okrs: string } | null> {
    if (row.template !== KICKOFF_TEMPLATE || !row.quarterId || !recipient.participantId) return null;
    const quarterId = row.quarterId;
    const quarter = await this.plannedQuarters.get(quarterId, async () => {
      if (!(await this.store.hasTokens(manager, quarterId))) return null;
      const planned = await this.store.quarter(manager, quarterId);
      return planned && (await this.store.objectiveCount(manager, planned.id)) ? planned : null;
    });
    if (!quarter) return null;
    return {
      okrs: await this.link(
        manager,
        quarter.workspace_id,
        quarter.id,
        recipient.participantId,
        quarter.ends_at,
      ),
    };
  }

  private async link(
    manager: EntityManager,
    workspaceId: string,
    quarterId: string,
    participantId: string,
    expiresAt: Date,
  ): Promise<string> {
    const { token, hash } = newToken('p');
    await this.store.createToken(manager, { hash, workspaceId, quarterId, participantId, expiresAt });
    return `${this.config.http.publicBaseUrl}/p/${token}`;
  }

  /** The page behind a link: the quarter's drafts (or final set) with the dialogue. */
  async lookup(token: string): Promise<PlanningLookup> {
    const row = await this.find(token);
    if (!row) return unknownLink();
    if (row.expires_at <= this.clock.now()) return refused(EXPIRED, row.locale);
    return { status: 'ok', page: await this.page(row, row.locale) };
  }

  /**
   * A post through a link: `action` is `comment`, `rewording`, `volunteer` (on `target`, `o:{id}` or
   * `k:{id}`) or `edit` (of `entryId`, the person's own); for the owner of an objective also
   * `add_key_result` (on `o:{id}`) and `edit_key_result` (on `k:{id}`), with the `kr…` fields
   * (`KEY_RESULT_FIELDS`). Refused once the quarter has started.
   */
  async submit(
    token: string,
    values: Record<string, string>,
    locale?: Locale,
  ): Promise<PlanningSubmitResult> {
    const row = await this.find(token);
    if (!row) return unknownLink();
    const shown = locale ?? row.locale;
    if (row.expires_at <= this.clock.now()) return refused(EXPIRED, shown);
    if (row.quarter_state !== 'upcoming') return refused(CLOSED, shown);
    const page = await this.page(row, shown);
    const invalid = (issues: InputIssue[]) => ({ status: 'invalid' as const, page, issues, values });

    const action = values.action ?? '';
    if (action === 'add_key_result' || action === 'edit_key_result')
      return this.ownerKeyResult(row, page, shown, action, values);
    const body = (values.body ?? '').trim();
    const proposed = (values.proposedTitle ?? '').trim();
    const issues: InputIssue[] = [];
    if (body.length > MAX_ENTRY_BODY)
      issues.push({ field: 'body', reason: `at most ${MAX_ENTRY_BODY} characters` });
    // PostgreSQL text cannot hold a NUL byte.
    for (const [field, text] of [
      ['body', body],
      ['proposedTitle', proposed],
    ] as const)
      if (text.includes('\u0000')) issues.push({ field, reason: NUL_REASON });

    if (action === 'edit') {
      const entry = this.ownEntry(page, values.entryId);
      if (!entry) return invalid([{ field: 'entryId', reason: 'not an open entry of yours' }]);
      if (entry.kind === 'comment' && !body) issues.push({ field: 'body', reason: 'required' });
      if (entry.kind === 'rewording') issues.push(...validateTitle(proposed, 'proposedTitle'));
      if (issues.length) return invalid(issues);
      const edited = await this.dataSource.transaction((manager) =>
        this.store.editEntry(
          manager,
          { id: entry.id, quarterId: row.quarter_id, participantId: row.participant_id },
          { body, proposedTitle: entry.kind === 'rewording' ? proposed : null },
          this.clock.now(),
        ),
      );
      if (!edited) return invalid([{ field: 'entryId', reason: 'not an open entry of yours' }]);
      return { status: 'saved', page: await this.page(row, shown), entryId: entry.id };
    }

    if (!['comment', 'rewording', 'volunteer'].includes(action))
      return invalid([{ field: 'action', reason: 'one of comment, rewording, volunteer' }]);
    const target = this.targetOf(page, values.target);
    if (!target) return invalid([{ field: 'target', reason: 'not a draft of this quarter' }]);
    if (action === 'comment' && !body) issues.push({ field: 'body', reason: 'required' });
    if (action === 'rewording') issues.push(...validateTitle(proposed, 'proposedTitle'));
    if (issues.length) return invalid(issues);

    const entryId = await this.dataSource.transaction(async (manager) => {
      // The quarter may have started since the page was read: checked again as the entry goes in.
      const quarter = await this.store.quarter(manager, row.quarter_id);
      if (quarter?.state !== 'upcoming') return null;
      return this.store.insertEntry(
        manager,
        {
          workspaceId: row.workspace_id,
          quarterId: row.quarter_id,
          pilotId: row.pilot_id,
          objectiveId: target.objectiveId,
          keyResultId: target.keyResultId,
          participantId: row.participant_id,
          kind: action as PlanningEntryKind,
          body,
          proposedTitle: action === 'rewording' ? proposed : null,
        },
        this.clock.now(),
      );
    });
    if (!entryId) return refused(CLOSED, shown);
    return { status: 'saved', page: await this.page(row, shown), entryId };
  }

  /**
   * The owner of an objective adds a draft key result to it, or changes one of its draft key results,
   * with the same rules as the coach's API (`KeyResultService`): run for the workspace, recorded in the
   * audit log with the person, and only while the quarter has not started. Issues name the form's
   * fields (`krTitle`, …).
   */
  private async ownerKeyResult(
    row: PlanningTokenRow,
    page: PlanningPage,
    shown: Locale,
    action: 'add_key_result' | 'edit_key_result',
    values: Record<string, string>,
  ): Promise<PlanningSubmitResult> {
    const invalid = (issues: InputIssue[]) => ({ status: 'invalid' as const, page, issues, values });
    const target = this.targetOf(page, values.target);
    const adding = action === 'add_key_result';
    if (!target || (adding ? target.keyResultId !== null : target.keyResultId === null))
      return invalid([{ field: 'target', reason: 'not a draft of this quarter' }]);
    const objective = page.objectives.find((o) => o.id === target.objectiveId);
    if (objective?.ownerId !== row.participant_id)
      return invalid([{ field: 'target', reason: NOT_OWNER_REASON }]);
    const { input, issues } = keyResultInputOf(values);
    if (issues.length) return invalid(issues);
    let keyResultId: string;
    try {
      keyResultId = await this.context.run(systemActor(row.workspace_id), async () => {
        const written = adding
          ? await this.keyResults.add(target.objectiveId, input)
          : await this.keyResults.update(target.keyResultId!, {
              title: input.title,
              kind: input.kind,
              measure: input.measure,
              start: input.start,
              target: input.target,
              unit: input.unit,
            });
        await this.audit.record({
          action: adding ? 'planning.key_result_added' : 'planning.key_result_edited',
          entityType: 'key_result',
          entityId: written.id,
          details: { participantId: row.participant_id, objectiveId: target.objectiveId },
        });
        return written.id;
      });
    } catch (error) {
      if (error instanceof InvalidInputError) return invalid(error.issues.map(formIssue));
      if (error instanceof ConflictError) return refused(CLOSED, shown);
      throw error;
    }
    return { status: 'saved', page: await this.page(row, shown), keyResultId };
  }

  /** A quarter's drafts with everything said about them (the coach's view). */
  async forQuarter(quarterId: string): Promise<PlanningView> {
    // Names and what people wrote: for the workspace's owners and coaches, never its sponsors.
    this.tenancy.requireRole('owner', 'coach');
    const quarter = await this.pilots.quarter(quarterId);
    return this.view(quarter.id, quarter.label, quarter.state === 'upcoming', quarter.startsOn);
  }

  /**
   * The coach takes an entry: a rewording becomes the draft's title (its previous wording kept), an offer
   * to own makes its author the draft's owner. Only while the dialogue is open; a comment is resolved.
   */
  async accept(entryId: string): Promise<PlanningEntryView> {
    this.tenancy.requireRole('owner', 'coach');
    return this.tenancy.transaction(async (manager) => {
      const entry = await this.store.entryForUpdate(entryId, manager);
      await this.openQuarter(entry.quarterId, manager);
      if (entry.kind === 'comment')
        throw new InvalidInputError('A comment is resolved, not accepted.', [
          { field: 'kind', reason: 'only a rewording or an offer to own is accepted' },
        ]);
      if (entry.status !== 'open')
        throw new ConflictError(`The entry is ${entry.status} already.`, { entryStatus: entry.status });
      const memberId = this.tenancy.actor.memberId;
      if (entry.kind === 'rewording') {
        const title = entry.proposedTitle ?? '';
        const previous = entry.keyResultId
          ? (await this.store.draftKeyResults(entry.quarterId, manager)).find(
              (k) => k.id === entry.keyResultId,
            )
          : (await this.store.draftObjectives(entry.quarterId, manager)).find(
              (o) => o.id === entry.objectiveId,
            );
        if (!previous) throw new NotFoundError(entry.keyResultId ? 'key result' : 'objective');
        if (entry.keyResultId) await this.keyResults.updateIn(manager, entry.keyResultId, { title });
        else await this.objectives.updateIn(manager, entry.objectiveId, { title });
        await this.store.insertRevision(
          manager,
          {
            workspaceId: entry.workspaceId,
            quarterId: entry.quarterId,
            objectiveId: entry.objectiveId,
            keyResultId: entry.keyResultId,
            previousTitle: previous.title,
            newTitle: title,
            entryId: entry.id,
            acceptedBy: memberId,
          },
          this.clock.now(),
        );
      } else if (entry.keyResultId) {
        await this.keyResults.updateIn(manager, entry.keyResultId, { ownerId: entry.participantId });
      } else {
        await this.objectives.updateIn(manager, entry.objectiveId, { ownerId: entry.participantId });
      }
      return this.close(entry, 'accepted', manager);
    });
  }

  /** The coach marks an entry read and settled. */
  async resolve(entryId: string): Promise<PlanningEntryView> {
    this.tenancy.requireRole('owner', 'coach');
    return this.tenancy.transaction(async (manager) => {
      const entry = await this.store.entryForUpdate(entryId, manager);
      if (entry.status !== 'open')
        throw new ConflictError(`The entry is ${entry.status} already.`, { entryStatus: entry.status });
      return this.close(entry, 'resolved', manager);
    });
  }

  private async close(
    entry: Awaited<ReturnType<PlanningStore['entryForUpdate']>>,
    status: 'accepted' | 'resolved',
    manager: EntityManager,
  ): Promise<PlanningEntryView> {
    await this.store.closeEntry(manager, entry, {
      status,
      at: this.clock.now(),
      by: this.tenancy.actor.memberId,
    });
    await this.audit.record(
      {
        action: `planning_entry.${status}`,
        entityType: 'planning_entry',
        entityId: entry.id,
        details: { kind: entry.kind, objectiveId: entry.objectiveId, keyResultId: entry.keyResultId },
      },
      manager,
    );
    const [row] = (await this.store.entriesOf(entry.quarterId, manager)).filter((e) => e.id === entry.id);
    return entryView(row);
  }

  private async openQuarter(quarterId: string, manager: EntityManager): Promise<void> {
    const quarter = await this.pilots.quarter(quarterId, manager);
    if (quarter.state !== 'upcoming')
      throw new ConflictError(
        `The quarter ${quarter.label} has started; its planning dialogue closed and its OKRs are locked.`,
        { quarterState: quarter.state },
      );
  }

  /** Retention: planning tokens expired before `cutoff`, up to `limit`; how many went. */
  purgeExpiredTokens(cutoff: Date, limit: number): Promise<number> {
    return this.store.purgeExpiredTokens(cutoff, limit);
  }

  private async find(token: string): Promise<PlanningTokenRow | null> {
    if (!TOKEN.test(token)) return null;
    const row = await this.store.findToken(hashToken(token));
    // Someone taken out of the pilot no longer takes part in its dialogue.
    return row?.member ? row : null;
  }

  private async page(row: PlanningTokenRow, locale: Locale): Promise<PlanningPage> {
    const view = await this.view(
      row.quarter_id,
      row.quarter_label,
      row.quarter_state === 'upcoming',
      row.starts_on,
    );
    return {
      ...view,
      locale,
      participantId: row.participant_id,
      participantName: row.name,
      pilotName: row.pilot_name,
    };
  }

  private async view(
    quarterId: string,
    label: string,
    open: boolean,
    startsOn: string,
  ): Promise<PlanningView> {
    const [objectives, keyResults, entries, revisions] = await Promise.all([
      this.store.draftObjectives(quarterId),
      this.store.draftKeyResults(quarterId),
      this.store.entriesOf(quarterId),
      this.store.revisionsOf(quarterId),
    ]);
    const entriesOf = (objectiveId: string, keyResultId: string | null) =>
      entries.filter((e) => e.objective_id === objectiveId && e.key_result_id === keyResultId).map(entryView);
    const previousOf = (objectiveId: string, keyResultId: string | null) =>
      revisions
        .filter((r) => r.objective_id === objectiveId && r.key_result_id === keyResultId)
        .map((r) => r.previous_title);
    return {
      quarterId,
      quarterLabel: label,
      open,
      closesOn: dayBefore(startsOn),
      objectives: objectives.map((o: DraftObjectiveRow) => {
        const krs = keyResults.filter((kr) => kr.objective_id === o.id);
        return {
          id: o.id,
          title: o.title,
          description: o.description,
          ownerId: o.owner_id,
          ownerName: o.owner_name,
          hints: qualityHints({
            keyResults: krs.map((kr) => ({ ...kr, finalScore: null })),
          }).map(({ code, keyResultId }) => ({ code, ...(keyResultId ? { keyResultId } : {}) })),
          entries: entriesOf(o.id, null),
          previousTitles: previousOf(o.id, null),
          keyResults: krs.map((kr: DraftKeyResultRow) => ({
            id: kr.id,
            title: kr.title,
            kind: kr.kind,
            measure: kr.measure,
            start: kr.start_value,
            target: kr.target_value,
            unit: kr.unit,
            ownerId: kr.owner_id,
            ownerName: kr.owner_name,
            entries: entriesOf(o.id, kr.id),
            previousTitles: previousOf(o.id, kr.id),
          })),
        };
      }),
    };
  }

  private targetOf(page: PlanningView, target: string | undefined) {
    const match = /^(o|k):(.+)$/.exec(target ?? '');
    if (!match || !UUID.test(match[2])) return null;
    for (const o of page.objectives) {
      if (match[1] === 'o' && o.id === match[2]) return { objectiveId: o.id, keyResultId: null };
      const kr = o.keyResults.find((k) => k.id === match[2]);
      if (match[1] === 'k' && kr) return { objectiveId: o.id, keyResultId: kr.id };
    }
    return null;
  }

  private ownEntry(page: PlanningPage, entryId: string | undefined): PlanningEntryView | null {
    if (!entryId || !UUID.test(entryId)) return null;
    const all = page.objectives.flatMap((o) => [...o.entries, ...o.keyResults.flatMap((kr) => kr.entries)]);
    return (
      all.find((e) => e.id === entryId && e.participantId === page.participantId && e.status === 'open') ??
      null
    );
  }
}

const FORM_FIELD_OF = Object.fromEntries(
  Object.entries(KEY_RESULT_FIELDS).map(([form, field]) => [field, form]),
) as Record<string, KeyResultField>;

/** A key result's issue, named by the form's field. */
const formIssue = (issue: InputIssue): InputIssue => ({
  field: FORM_FIELD_OF[issue.field] ?? issue.field,
  reason: issue.reason,
});

/** The key result an owner's form describes: numbers as written (a decimal comma too), empty as none. */
function keyResultInputOf(values: Record<string, string>): { input: KeyResultInput; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const text = (field: KeyResultField) => (values[field] ?? '').trim();
  for (const field of Object.keys(KEY_RESULT_FIELDS) as KeyResultField[])
    if (text(field).includes('\u0000')) issues.push({ field, reason: NUL_REASON });
  const number = (field: 'krStart' | 'krTarget'): number | null => {
    const written = text(field).replace(/\s/g, '').replace(',', '.');
    if (!written) return null;
    const value = Number(written);
    if (!Number.isFinite(value)) {
      issues.push({ field, reason: 'must be a number' });
      return null;
    }
    return value;
  };
  const input: KeyResultInput = {
    title: text('krTitle'),
    kind: (text('krKind') || 'committed') as KeyResultInput['kind'],
    measure: text('krMeasure') as KeyResultInput['measure'],
    start: number('krStart'),
    target: number('krTarget'),
    unit: text('krUnit') || null,
  };
  return { input, issues };
}

function entryView(row: EntryRow): PlanningEntryView {
  return {
    id: row.id,
    objectiveId: row.objective_id,
    keyResultId: row.key_result_id,
    participantId: row.participant_id,
    authorName: row.author_name,
    kind: row.kind,
    body: row.body,
    proposedTitle: row.proposed_title,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}
