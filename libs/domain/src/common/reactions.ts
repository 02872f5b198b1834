import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import {
  MAIL_KINDS,
  REPORT_KINDS,
  STEP_KINDS,
  type Locale,
  type MailKind,
  type OutboxMessage,
  type ReportKind,
  type Retrospective,
  type Rollout,
  type StepKind,
} from '@luotsi/database';
import type { DueStep } from '../cadence';

/**
 * How one feature reacts to another, declared on the method that does it and checked when an app boots:
 *
 * - `@HandlesStep(kind)`: what a cadence step kind does when its day comes; every kind has exactly one.
 * - `@EnrichesMail(kind)`: what a kind of mail (a step kind's, or mail no step sends such as the planning
 *   digest) carries beyond the common data (a link of its own); exactly one for each kind that
 *   `MAIL_OF_STEP` calls `enriched`, none for a `plain` one.
 * - `@BuildsReport(kind)`: how a kind of report is built by the `build-report` job; exactly one a kind.
 * - `@OnBeat(work)`: a feature's part of the scheduler's beat (`CadenceTicker`): work that a lost job or
 *   a crash may have left undone, done again; exactly one for each of `BEAT_WORK`.
 * - `@OnDomainEvent(event)`: what follows an event; any number. They run one after another, by their
 *   `order` (default 0), then by provider and method name, so the sequence is the same on every boot.
 *   An error stops the rest and reaches the code that emitted the event.
 *
 * A kind without its handler, or with two, stops the app at boot with the kind's name.
 */

/** Turns a due step into its effect; returns how many recipients it reached (0 for steps without mail). */
export type StepHandler = (step: DueStep, manager: EntityManager) => Promise<number>;

/**
 * Adds what a kind of mail needs beyond the common data (e.g. a retrospective's single-use link), or
 * says why the mail must not go after all. Runs inside the claim's transaction.
 */
export type MailEnricher = (
  manager: EntityManager,
  row: OutboxMessage,
  recipient: { participantId: string | null; locale: Locale },
) => Promise<Record<string, unknown> | { suppress: string }>;

/** Builds one report row of a kind; a generation that moved on is skipped. */
export type ReportBuilder = (reportId: string, generation: number) => Promise<void>;

/**
 * The other features' part of every beat, in the order the beat does it, each named by what its count
 * says in the beat's result (`TickResult`).
 */
export const BEAT_WORK = [
  'quartersAdvanced',
  'planningDigestsQueued',
  'reportsRequeued',
  'answersMoved',
  'erasedMailCleared',
  'retentionApplied',
] as const;
export type BeatWork = (typeof BEAT_WORK)[number];

/** Does a beat's share of a feature's catching up; `requeueAfterMs` is how long a job may run before it counts as lost. Returns how many rows it moved. */
export type BeatHandler = (requeueAfterMs: number) => Promise<number>;

/** The domain events and what each carries. */
export interface DomainEvents {
  /** A retrospective run closed, by hand or by the cadence; handled inside the closing transaction. */
  'retrospective.closed': [manager: EntityManager, run: Retrospective];
  /** A report is stored as ready (again, when a build that was ready already runs once more). */
  'report.built': [kind: ReportKind, reportId: string];
  /** A mail failed for good; `reason` is the outbox row's record of why. */
  'delivery.failed': [row: OutboxMessage, reason: string];
  /**
   * A participant is being erased; handled inside the erasing transaction, before the participant row
   * goes (their answers are still linked), so what a handler removes goes with the same commit.
   */
  'participant.erasing': [manager: EntityManager, person: ErasedParticipant];
  /**
   * A rollout is about to be deleted, inside the deleting transaction with the rollout locked. What hangs
   * on it refuses by throwing (a rollout with pilots keeps them), which stops the deletion.
   */
  'rollout.deleting': [manager: EntityManager, rollout: Rollout];
}
export type DomainEventName = keyof DomainEvents;

/** Who is being erased: what identifies them, for the features that must take them out. */
export interface ErasedParticipant {
  workspaceId: string;
  id: string;
  email: string;
  name: string;
}

/** Whether a kind of mail carries something of its own (then exactly one enricher) or not (none). */
export const MAIL_OF_STEP: Record<MailKind, 'enriched' | 'plain'> = {
  prompt: 'enriched',
  checkin_request: 'enriched',
  retrospective_open: 'enriched',
  retrospective_reminder: 'enriched',
  retrospective_close: 'plain',
  report: 'enriched',
  planning_open: 'enriched',
  planning_digest: 'enriched',
};

type Reaction =
  | { type: 'step'; kind: StepKind }
  | { type: 'mail'; kind: MailKind }
  | { type: 'report'; kind: ReportKind }
  | { type: 'beat'; kind: BeatWork }
  | { type: 'event'; event: DomainEventName; order: number };

/** Declarations by the method function they decorate. */
const declared = new WeakMap<object, Reaction[]>();

/** A decorator that accepts only methods of the handler's type. */
type HandlerDecorator<F> = <T extends F>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
) => void;

const declare =
  <F>(...reactions: Reaction[]): HandlerDecorator<F> =>
  (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    declared.set(method, [...(declared.get(method) ?? []), ...reactions]);
  };

export const HandlesStep = (...kinds: StepKind[]): HandlerDecorator<StepHandler> =>
  declare(...kinds.map((kind) => ({ type: 'step' as const, kind })));

export const EnrichesMail = (...kinds: MailKind[]): HandlerDecorator<MailEnricher> =>
  declare(...kinds.map((kind) => ({ type: 'mail' as const, kind })));

export const BuildsReport = (kind: ReportKind): HandlerDecorator<ReportBuilder> =>
  declare({ type: 'report', kind });

export const OnBeat = (kind: BeatWork): HandlerDecorator<BeatHandler> => declare({ type: 'beat', kind });

export const OnDomainEvent = <E extends DomainEventName>(
  event: E,
  options: { order?: number } = {},
): HandlerDecorator<(...args: DomainEvents[E]) => Promise<unknown>> =>
  declare({ type: 'event', event, order: options.order ?? 0 });

/** The app's reactions do not add up: each line names a kind and what is wrong with it. */
export class ReactionsError extends Error {
  override name = 'ReactionsError';
  constructor(readonly problems: string[]) {
    super(`Reactions are not declared exactly once:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

interface Found {
  /** `Provider.method`, for messages and the order of event handlers. */
  name: string;
  reaction: Reaction;
  call: (...args: unknown[]) => Promise<unknown>;
}

/** One key per step kind, mail kind, report kind or event. */
const keyOf = (reaction: Reaction): string =>
  reaction.type === 'event' ? `event:${reaction.event}` : `${reaction.type}:${reaction.kind}`;

/**
 * Finds the declared reactions among the app's providers at boot, checks them (a `ReactionsError`
 * stops the app), and hands them to the code that dispatches steps, sends mail, builds reports and
 * emits events.
 */
@Injectable()
export class Reactions implements OnModuleInit {
  private byKey?: Map<string, Found[]>;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const problems = checkReactions(this.index());
    if (problems.length) throw new ReactionsError(problems);
  }

  stepHandler(kind: StepKind): StepHandler {
    return this.one({ type: 'step', kind }) as StepHandler;
  }

  /** The kind's enricher; none for a plain kind (or a row without a kind). */
  mailEnricher(kind: MailKind | null): MailEnricher | undefined {
    return kind && MAIL_OF_STEP[kind] === 'enriched'
      ? (this.one({ type: 'mail', kind }) as MailEnricher)
      : undefined;
  }

  reportBuilder(kind: ReportKind): ReportBuilder {
    return this.one({ type: 'report', kind }) as ReportBuilder;
  }

  beatHandler(kind: BeatWork): BeatHandler {
    return this.one({ type: 'beat', kind }) as BeatHandler;
  }

  /** Runs the event's handlers one after another; the first error stops them and is rethrown. */
  async emit<E extends DomainEventName>(event: E, ...args: DomainEvents[E]): Promise<void> {
    for (const handler of this.index().get(`event:${event}`) ?? []) await handler.call(...args);
  }

  private one(wanted: CheckedReaction): Found['call'] {
    const [found] = this.index().get(keyOf(wanted)) ?? [];
    if (!found) throw new ReactionsError([`${describeKind(wanted)} has no handler`]);
    return found.call;
  }

  private index(): Map<string, Found[]> {
    this.byKey ??= this.discover();
    return this.byKey;
  }

  private discover(): Map<string, Found[]> {
    const found: Found[] = [];
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
      if (!wrapper.isDependencyTreeStatic()) continue;
      seen.add(instance);
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown> | null;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = prototype![method] as Found['call'];
        for (const reaction of declared.get(fn) ?? [])
          found.push({ name: `${prototype!.constructor.name}.${method}`, reaction, call: fn.bind(instance) });
      }
    }
    const order = (f: Found) => (f.reaction.type === 'event' ? f.reaction.order : 0);
    found.sort((a, b) => order(a) - order(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const byKey = new Map<string, Found[]>();
    for (const f of found) byKey.set(keyOf(f.reaction), [...(byKey.get(keyOf(f.reaction)) ?? []), f]);
    return byKey;
  }
}

type CheckedReaction = Exclude<Reaction, { type: 'event' }>;

/** What is missing or doubled: one line per kind, empty when every kind has what it needs. */
function checkReactions(byKey: Map<string, Found[]>): string[] {
  const problems: string[] = [];
  const check = (wanted: CheckedReaction, expected: 0 | 1) => {
    const names = (byKey.get(keyOf(wanted)) ?? []).map((f) => f.name);
    if (names.length === expected) return;
    if (!names.length) problems.push(`${describeKind(wanted)} has no handler`);
    else if (expected === 0)
      problems.push(
        `${describeKind(wanted)} is plain in MAIL_OF_STEP but has a handler: ${names.join(', ')}`,
      );
    else problems.push(`${describeKind(wanted)} has ${names.length} handlers: ${names.join(', ')}`);
  };
  for (const kind of STEP_KINDS) check({ type: 'step', kind }, 1);
  for (const kind of MAIL_KINDS) check({ type: 'mail', kind }, MAIL_OF_STEP[kind] === 'enriched' ? 1 : 0);
  for (const kind of REPORT_KINDS) check({ type: 'report', kind }, 1);
  for (const kind of BEAT_WORK) check({ type: 'beat', kind }, 1);
  return problems;
}

function describeKind(reaction: CheckedReaction): string {
  switch (reaction.type) {
    case 'step':
      return `cadence step kind '${reaction.kind}' (@HandlesStep)`;
    case 'mail':
      return `mail of kind '${reaction.kind}' (@EnrichesMail)`;
    case 'report':
      return `report kind '${reaction.kind}' (@BuildsReport)`;
    case 'beat':
      return `beat work '${reaction.kind}' (@OnBeat)`;
  }
}
