import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobName, JobProducer } from '@luotsi/queue';
import { OnDomainEvent, type ErasedParticipant } from '../../common/reactions';
import { ResponseService } from '../../surveys';
import { ReportsStore } from '../reports.store';
import { afterCommit } from './after-commit';
import { trimQuote } from './themes';

/** Who is being erased: what identifies them, and the free text they wrote in linked runs. */
export interface ErasedPerson {
  id: string;
  email: string;
  name: string;
  /** Their free-text answers in confidential and named runs (anonymous answers cannot be found). */
  texts: string[];
}

/** What takes the place of an identifier inside a longer text. */
export const ERASED_MARK = '[erased]';

const normalized = (text: string) => text.trim().replace(/\s+/g, ' ');

/**
 * Whether a stored quote is one of the person's answers: the answer itself, or the answer cut to the
 * quote length with an ellipsis (as the report builder cuts them), whitespace folded either way.
 */
export function isQuoteOf(quote: string, texts: readonly string[]): boolean {
  const q = normalized(quote);
  if (!q) return false;
  return texts.some((text) => {
    const t = normalized(text);
    if (!t) return false;
    if (q === t || q === trimQuote(text)) return true;
    return q.endsWith('…') && q.length > 1 && t.startsWith(q.slice(0, -1).trimEnd());
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The report content with the person taken out, and whether anything changed. Anything that is theirs
 * goes: a quote of their free text, a string that is their id, address or name, and an entry of a list
 * that names them (an object with any field equal to their id, address or name — each owner's check-in
 * rhythm, a named quote). Their id, address or full name inside a longer text is replaced by `[erased]`.
 * Counts and other aggregates stay: the answers they were computed from keep their numbers.
 */
export function redactPerson<T>(content: T, person: ErasedPerson): { content: T; changed: boolean } {
  const email = person.email.trim().toLowerCase();
  const name = normalized(person.name);
  const exact = (value: string) => {
    const v = normalized(value);
    return v === person.id || v.toLowerCase() === email || (name.length > 0 && v === name);
  };
  const inside = [person.id, person.email, name.length >= 3 ? name : '']
    .filter(Boolean)
    .map((needle) => new RegExp(escapeRegExp(needle), 'gi'));
  let changed = false;

  const isTheirs = (value: unknown): boolean => {
    if (typeof value === 'string') return exact(value) || isQuoteOf(value, person.texts);
    if (value && typeof value === 'object' && !Array.isArray(value))
      return Object.values(value).some((field) => typeof field === 'string' && isTheirs(field));
    return false;
  };

  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (exact(value) || isQuoteOf(value, person.texts)) {
        changed = true;
        return null;
      }
      let text = value;
      for (const pattern of inside) text = text.replace(pattern, ERASED_MARK);
      if (text !== value) changed = true;
      return text;
    }
    if (Array.isArray(value)) {
      const kept = value.filter((item) => !isTheirs(item));
      if (kept.length !== value.length) changed = true;
      return kept.map(walk);
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, walk(field)]));
    }
    return value;
  };

  const result = walk(content) as T;
  return { content: changed ? result : content, changed };
}

/** Report builds that must start again without the person (they were reading while the erasure ran). */
export interface ReportRebuild {
  reportId: string;
  generation: number;
}

/**
 * The reports' part of an erasure: runs in the erasing transaction (`participant.erasing`), and once it
 * has committed queues the builds it sent back to `queued` (lost with Redis, the report reconciler
 * queues them again).
 */
@Injectable()
export class ReportErasure {
  constructor(
    private readonly jobs: JobProducer,
    private readonly store: ReportsStore,
    private readonly responses: ResponseService,
  ) {}

  @OnDomainEvent('participant.erasing')
  async erase(manager: EntityManager, person: ErasedParticipant): Promise<void> {
    const rebuilds = await this.eraseFromReports(manager, person.workspaceId, person);
    if (!rebuilds.length) return;
    await afterCommit(manager, async () => {
      await this.jobs.enqueueMany(
        JobName.BuildReport,
        rebuilds.map((r) => ({ kind: 'learning' as const, reportId: r.reportId, generation: r.generation })),
      );
    });
  }

  /**
   * Takes an erased person out of everything the reports keep, inside the erasure's transaction (before
   * the participant row goes, while their answers are still linked):
   *
   * - their free-text answers in confidential and named runs are read, then removed from those answers
   *   (numeric and choice answers stay, so every count and mean holds);
   * - every stored learning and readiness report that could hold them (the quarters they answered in,
   *   and any whose content names their id, address or name) is redacted with `redactPerson`;
   * - a learning report queued or building for those quarters or their pilots is queued again under a
   *   new generation, so a build that read their answers before this transaction stores nothing.
   *
   * Returns the rebuilds to enqueue once the transaction has committed.
   */
  async eraseFromReports(
    manager: EntityManager,
    workspaceId: string,
    person: Omit<ErasedPerson, 'texts'>,
  ): Promise<ReportRebuild[]> {
    // Their words go from the answers; their numbers stay for the aggregates.
    const texts = await this.responses.eraseFreeText(manager, workspaceId, person.id);
    const erased: ErasedPerson = { ...person, texts: texts.filter((t) => t.trim() !== '') };

    // Rows that can hold them: by where they answered, or by what the content says (jsonb text search).
    const inJson = (text: string) => JSON.stringify(text).slice(1, -1);
    const { learning, readiness } = await this.store.reportsHolding(manager, [
      workspaceId,
      person.id,
      inJson(person.email),
      inJson(normalized(person.name)),
    ]);
    for (const [kind, rows] of [
      ['learning', learning],
      ['readiness', readiness],
    ] as const) {
      for (const row of rows) {
        const { content, changed } = redactPerson(row.content, erased);
        if (!changed) continue;
        await this.store.replaceContent(manager, kind, row.id, content);
      }
    }

    // A build in flight may have read them already: it loses its generation and starts again.
    return this.store.requeueBuildsReading(manager, workspaceId, person.id);
  }
}
