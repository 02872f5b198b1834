import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import {
  KeyResult,
  LEVELS,
  Objective,
  Participant,
  Pilot,
  PilotMembership,
  Quarter,
  type KeyResultKind,
  type KeyResultMeasure,
  type Level,
} from '@luotsi/database';
import { Clock } from '../common/clock';
import { ConflictError, InputIssue, InvalidInputError } from '../common/errors';
import { Page, PageRequest } from '../common/page';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit/audit-log.service';
import {
  Band,
  colourBand,
  KeyResultDraft,
  MAX_DESCRIPTION,
  objectiveProgress,
  objectiveScore,
  progress,
  QualityHint,
  qualityHints,
  validateKeyResult,
  validateScore,
  validateTitle,
} from './okr-rules';
import { parseOkrCsv } from './okr-csv';

export interface KeyResultInput {
  title: string;
  kind?: KeyResultKind;
  measure: KeyResultMeasure;
  start?: number | null;
  target?: number | null;
  unit?: string | null;
  ownerId?: string | null;
  current?: number | null;
  done?: boolean | null;
  confidence?: number | null;
}

export type KeyResultPatch = Partial<KeyResultInput> & { position?: number };

export interface ObjectiveInput {
  title: string;
  description?: string | null;
  ownerId?: string | null;
  level?: Level | null;
  keyResults?: KeyResultInput[];
}

export type ObjectivePatch = Partial<Omit<ObjectiveInput, 'keyResults'>> & { position?: number };

export interface KeyResultView {
  id: string;
  objectiveId: string;
  quarterId: string;
  pilotId: string;
  organizationId: string;
  title: string;
  kind: KeyResultKind;
  measure: KeyResultMeasure;
  start: number | null;
  target: number | null;
  unit: string;
  current: number | null;
  done: boolean;
  ownerId: string | null;
  confidence: number | null;
  recordedAt: Date | null;
  finalScore: number | null;
  scoredAt: Date | null;
  position: number;
  /** 0..1, from start, target and current (or done). */
  progress: number;
  /** The band of the final score, or of progress until it is scored. */
  band: Band | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ObjectiveView {
  id: string;
  quarterId: string;
  pilotId: string;
  organizationId: string;
  title: string;
  description: string;
  ownerId: string | null;
  level: Level | null;
  position: number;
  carriedFromId: string | null;
  /** The mean of the key results' final scores; null until one is scored. */
  finalScore: number | null;
  /** The mean progress of the key results; null without any. */
  progress: number | null;
  band: Band | null;
  hints: QualityHint[];
  keyResults: KeyResultView[];
  createdAt: Date;
  updatedAt: Date;
}

/** A key result after a change, with what the change did to its objective. */
export interface KeyResultResult extends KeyResultView {
  objectiveScore: number | null;
  /** The objective's quality hints (warnings, never errors). */
  hints: QualityHint[];
}

export interface OkrImportSummary {
  rows: number;
  objectivesCreated: number;
  objectivesUnchanged: number;
  keyResultsCreated: number;
  keyResultsUpdated: number;
  keyResultsUnchanged: number;
}

const ENDED = ['graduated', 'stopped'];
const RECORDED = ['current', 'done', 'confidence'] as const;

/** Objectives and key results of a pilot's quarter: progress, scores, quality hints, CSV import. */
@Injectable()
export class OkrService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  private objectives(manager?: EntityManager) {
    return this.tenancy.repo(Objective, 'objective', manager);
  }

  private keyResults(manager?: EntityManager) {
    return this.tenancy.repo(KeyResult, 'key result', manager);
  }

  async listForQuarter(quarterId: string, page: PageRequest): Promise<Page<ObjectiveView>> {
    await this.tenancy.repo(Quarter, 'quarter').get(quarterId);
    const result = await this.objectives().page(
      page,
      { quarterId },
      { position: 'ASC', createdAt: 'ASC', id: 'ASC' },
    );
    return { ...result, items: await this.views(result.items) };
  }

  async getObjective(id: string): Promise<ObjectiveView> {
    const [view] = await this.views([await this.objectives().get(id)]);
    return view;
  }

  async getKeyResult(id: string): Promise<KeyResultResult> {
    const kr = await this.keyResults().get(id);
    const objective = await this.objectives().get(kr.objectiveId);
    return this.result(kr, objective);
  }

  async createObjective(quarterId: string, input: ObjectiveInput): Promise<ObjectiveView> {
    const keyResults = input.keyResults ?? [];
    const issues = [
      ...validateObjectiveFields(input),
      ...keyResults.flatMap((kr, i) => validateKeyResult(draftOf(kr), `keyResults[${i}].`)),
      ...duplicateTitles(keyResults.map((kr) => kr.title)),
    ];
    if (issues.length) throw new InvalidInputError('The objective is invalid; nothing was changed.', issues);
    return this.tenancy.transaction(async (manager) => {
      const { quarter, pilot } = await this.quarterForWrite(quarterId, manager, true);
      const title = input.title.trim();
      this.assert(
        [
          ...this.levelIssues(pilot, input.level),
          ...(await this.ownerIssues(
            pilot.id,
            [
              { field: 'ownerId', id: input.ownerId },
              ...keyResults.map((kr, i) => ({ field: `keyResults[${i}].ownerId`, id: kr.ownerId })),
            ],
            manager,
          )),
          ...(await this.objectiveTitleIssues(quarterId, title, null, manager)),
        ],
        'The objective is invalid; nothing was changed.',
      );
      const objective = await this.objectives(manager).create({
        quarterId,
        pilotId: quarter.pilotId,
        organizationId: quarter.organizationId,
        title,
        description: input.description?.trim() ?? '',
        ownerId: input.ownerId ?? null,
        level: input.level ?? null,
        position: await this.objectives(manager).count({ quarterId }),
        carriedFromId: null,
        finalScore: null,
      });
      for (const [position, kr] of keyResults.entries())
        await this.keyResults(manager).create({ ...this.newKeyResult(objective, kr), position });
      await this.audit.record(
        {
          action: 'objective.created',
          entityType: 'objective',
          entityId: objective.id,
          details: { quarterId, title, keyResults: keyResults.length },
        },
        manager,
      );
      const [view] = await this.views([objective], manager);
      return view;
    });
  }

  async updateObjective(id: string, patch: ObjectivePatch): Promise<ObjectiveView> {
    const issues = validateObjectiveFields(patch, true);
    if (issues.length) throw new InvalidInputError('The objective is invalid; nothing was changed.', issues);
    return this.tenancy.transaction(async (manager) => {
      const objective = await this.objectives(manager).get(id, { lock: true });
      const { pilot } = await this.quarterForWrite(objective.quarterId, manager);
      const title = patch.title?.trim();
      this.assert(
        [
          ...(patch.level !== undefined ? this.levelIssues(pilot, patch.level) : []),
          ...(patch.ownerId !== undefined
            ? await this.ownerIssues(pilot.id, [{ field: 'ownerId', id: patch.ownerId }], manager)
            : []),
          ...(title ? await this.objectiveTitleIssues(objective.quarterId, title, id, manager) : []),
        ],
        'The objective is invalid; nothing was changed.',
      );
      if (title) objective.title = title;
      if (patch.description !== undefined) objective.description = patch.description?.trim() ?? '';
      if (patch.ownerId !== undefined) objective.ownerId = patch.ownerId;
      if (patch.level !== undefined) objective.level = patch.level;
      if (patch.position !== undefined) objective.position = patch.position;
      await this.objectives(manager).save(objective);
      await this.audit.record(
        {
          action: 'objective.updated',
          entityType: 'objective',
          entityId: id,
          details: { fields: given(patch) },
        },
        manager,
      );
      const [view] = await this.views([objective], manager);
      return view;
    });
  }

  /** Deletes the objective and its key results. */
  async removeObjective(id: string): Promise<void> {
    await this.tenancy.transaction(async (manager) => {
      const objective = await this.objectives(manager).get(id, { lock: true });
      await this.quarterForWrite(objective.quarterId, manager);
      await this.objectives(manager).remove(objective);
      await this.audit.record(
        {
          action: 'objective.deleted',
          entityType: 'objective',
          entityId: id,
          details: { quarterId: objective.quarterId, title: objective.title },
        },
        manager,
      );
    });
  }

  async addKeyResult(objectiveId: string, input: KeyResultInput): Promise<KeyResultResult> {
    const issues = validateKeyResult(draftOf(input));
    if (issues.length) throw new InvalidInputError('The key result is invalid; nothing was changed.', issues);
    return this.tenancy.transaction(async (manager) => {
      const objective = await this.objectives(manager).get(objectiveId, { lock: true });
      const { pilot } = await this.quarterForWrite(objective.quarterId, manager);
      const title = input.title.trim();
      this.assert(
        [
          ...(await this.ownerIssues(pilot.id, [{ field: 'ownerId', id: input.ownerId }], manager)),
          ...(await this.keyResultTitleIssues(objectiveId, title, null, manager)),
        ],
        'The key result is invalid; nothing was changed.',
      );
      const kr = await this.keyResults(manager).create({
        ...this.newKeyResult(objective, input),
        position: await this.keyResults(manager).count({ objectiveId }),
      });
      await this.audit.record(
        {
          action: 'key_result.created',
          entityType: 'key_result',
          entityId: kr.id,
          details: { objectiveId, title, kind: kr.kind, measure: kr.measure },
        },
        manager,
      );
      return this.result(kr, objective, manager);
    });
  }

  /** Changes a key result, including recording its current value, done flag and confidence. */
  async updateKeyResult(id: string, patch: KeyResultPatch): Promise<KeyResultResult> {
    if (patch.position !== undefined && !(Number.isInteger(patch.position) && patch.position >= 0))
      throw new InvalidInputError('Invalid position.', [
        { field: 'position', reason: 'must be a whole number from 0' },
      ]);
    return this.tenancy.transaction(async (manager) => {
      const { objective, kr } = await this.lockKeyResult(id, manager);
      const { pilot } = await this.quarterForWrite(objective.quarterId, manager);
      const draft = mergeDraft(kr, patch);
      const issues = validateKeyResult(draft);
      if (issues.length)
        throw new InvalidInputError('The key result is invalid; nothing was changed.', issues);
      const title = draft.title!.trim();
      this.assert(
        [
          ...(patch.ownerId !== undefined
            ? await this.ownerIssues(pilot.id, [{ field: 'ownerId', id: patch.ownerId }], manager)
            : []),
          ...(title !== kr.title ? await this.keyResultTitleIssues(objective.id, title, id, manager) : []),
        ],
        'The key result is invalid; nothing was changed.',
      );
      Object.assign(kr, {
        title,
        kind: draft.kind,
        measure: draft.measure,
        startValue: draft.start ?? null,
        targetValue: draft.target ?? null,
        unit: draft.unit?.trim() ?? '',
        currentValue: draft.current ?? null,
        done: draft.done ?? false,
        confidence: draft.confidence ?? null,
      });
      if (patch.ownerId !== undefined) kr.ownerId = patch.ownerId;
      if (patch.position !== undefined) kr.position = patch.position;
      if (RECORDED.some((field) => patch[field] !== undefined)) kr.recordedAt = this.clock.now();
      await this.keyResults(manager).save(kr);
      await this.audit.record(
        {
          action: 'key_result.updated',
          entityType: 'key_result',
          entityId: id,
          details: {
            fields: given(patch),
            ...Object.fromEntries(RECORDED.filter((f) => patch[f] !== undefined).map((f) => [f, patch[f]])),
          },
        },
        manager,
      );
      return this.result(kr, objective, manager);
    });
  }

  async removeKeyResult(id: string): Promise<void> {
    await this.tenancy.transaction(async (manager) => {
      const { objective, kr } = await this.lockKeyResult(id, manager);
      await this.quarterForWrite(objective.quarterId, manager);
      await this.keyResults(manager).remove(kr);
      await this.rescore(objective, manager);
      await this.audit.record(
        {
          action: 'key_result.deleted',
          entityType: 'key_result',
          entityId: id,
          details: { objectiveId: objective.id, title: kr.title },
        },
        manager,
      );
    });
  }

  /**
   * Records a key result's final score (0.0–1.0) and recomputes its objective's. Allowed once the quarter
   * has begun, and after it closed: scoring is the quarter's last act.
   */
  async scoreKeyResult(id: string, score: number): Promise<KeyResultResult> {
    const issues = validateScore(score);
    if (issues.length) throw new InvalidInputError('The score is invalid; nothing was changed.', issues);
    return this.tenancy.transaction(async (manager) => {
      const { objective, kr } = await this.lockKeyResult(id, manager);
      const quarter = await this.tenancy.repo(Quarter, 'quarter', manager).get(objective.quarterId);
      if (quarter.state === 'upcoming')
        throw new ConflictError(
          `The quarter ${quarter.label} has not started; key results are scored at its end.`,
          { quarterState: quarter.state },
        );
      kr.finalScore = score;
      kr.scoredAt = this.clock.now();
      await this.keyResults(manager).save(kr);
      await this.rescore(objective, manager);
      await this.audit.record(
        {
          action: 'key_result.scored',
          entityType: 'key_result',
          entityId: id,
          details: { score, objectiveId: objective.id, objectiveScore: objective.finalScore },
        },
        manager,
      );
      return this.result(kr, objective, manager);
    });
  }

  /**
   * Imports a quarter's OKRs from CSV, all or nothing. Objectives are matched by title within the quarter
   * and key results by title within their objective, so the same file twice changes nothing.
   */
  async importCsv(quarterId: string, file: Buffer): Promise<OkrImportSummary> {
    await this.tenancy.repo(Quarter, 'quarter').get(quarterId);
    const rows = parseOkrCsv(file);
    return this.tenancy.transaction(async (manager) => {
      const { quarter } = await this.quarterForWrite(quarterId, manager, true);
      const emails = [...new Set(rows.map((r) => r.keyResult?.ownerEmail).filter((e): e is string => !!e))];
      const owners = new Map(
        (await this.pilotParticipants(quarter.pilotId, emails, manager)).map((p) => [p.email, p.id]),
      );
      const issues: InputIssue[] = rows
        .filter((r) => r.keyResult?.ownerEmail && !owners.has(r.keyResult.ownerEmail))
        .map((r) => ({
          field: 'owner_email',
          line: r.line,
          reason: `${r.keyResult!.ownerEmail} is not a participant of this pilot`,
        }));
      if (issues.length) {
        const lines = new Set(issues.map((i) => i.line));
        throw new InvalidInputError(
          `${lines.size} line(s) of the file are invalid; nothing was imported.`,
          issues,
        );
      }

      const objectives = await this.objectives(manager).find({ where: { quarterId } });
      const byTitle = new Map(objectives.map((o) => [o.title, o]));
      const krs = objectives.length
        ? await this.keyResults(manager).find({ where: { objectiveId: In(objectives.map((o) => o.id)) } })
        : [];
      const byKey = new Map(krs.map((kr) => [`${kr.objectiveId}\u0000${kr.title}`, kr]));
      const krCount = new Map<string, number>();
      for (const kr of krs) krCount.set(kr.objectiveId, (krCount.get(kr.objectiveId) ?? 0) + 1);
      let nextPosition = objectives.reduce((max, o) => Math.max(max, o.position + 1), 0);

      const summary: OkrImportSummary = {
        rows: rows.length,
        objectivesCreated: 0,
        objectivesUnchanged: 0,
        keyResultsCreated: 0,
        keyResultsUpdated: 0,
        keyResultsUnchanged: 0,
      };
      const matched = new Set<string>();
      for (const row of rows) {
        let objective = byTitle.get(row.objective);
        if (!objective) {
          objective = await this.objectives(manager).create({
            quarterId,
            pilotId: quarter.pilotId,
            organizationId: quarter.organizationId,
            title: row.objective,
            description: '',
            ownerId: null,
            level: null,
            position: nextPosition++,
            carriedFromId: null,
            finalScore: null,
          });
          byTitle.set(objective.title, objective);
          summary.objectivesCreated++;
        } else if (!matched.has(objective.id) && objectives.includes(objective)) {
          summary.objectivesUnchanged++;
        }
        matched.add(objective.id);
        if (!row.keyResult) continue;

        const spec = row.keyResult;
        const values = {
          kind: spec.kind,
          measure: spec.measure,
          startValue: spec.start,
          targetValue: spec.target,
          unit: spec.unit,
          ownerId: spec.ownerEmail ? owners.get(spec.ownerEmail)! : null,
        };
        const existing = byKey.get(`${objective.id}\u0000${spec.title}`);
        if (!existing) {
          const position = krCount.get(objective.id) ?? 0;
          krCount.set(objective.id, position + 1);
          const kr = await this.keyResults(manager).create({
            ...values,
            objectiveId: objective.id,
            quarterId,
            pilotId: quarter.pilotId,
            organizationId: quarter.organizationId,
            title: spec.title,
            currentValue: null,
            done: false,
            confidence: null,
            recordedAt: null,
            finalScore: null,
            scoredAt: null,
            position,
          });
          byKey.set(`${objective.id}\u0000${kr.title}`, kr);
          summary.keyResultsCreated++;
        } else if (
          (Object.keys(values) as (keyof typeof values)[]).some((key) => existing[key] !== values[key])
        ) {
          Object.assign(existing, values);
          // A value or a done flag that no longer fits the measure goes with the old measure.
          if (existing.measure !== 'metric') existing.currentValue = null;
          else existing.done = false;
          await this.keyResults(manager).save(existing);
          summary.keyResultsUpdated++;
        } else {
          summary.keyResultsUnchanged++;
        }
      }
      await this.audit.record(
        {
          action: 'objectives.imported',
          entityType: 'quarter',
          entityId: quarterId,
          details: { ...summary },
        },
        manager,
      );
      return summary;
    });
  }

  // --- helpers ---

  private async quarterForWrite(
    quarterId: string,
    manager: EntityManager,
    lock = false,
  ): Promise<{ quarter: Quarter; pilot: Pilot }> {
    const quarter = await this.tenancy.repo(Quarter, 'quarter', manager).get(quarterId, { lock });
    if (quarter.state === 'closed')
      throw new ConflictError(
        `The quarter ${quarter.label} is closed; its OKRs can no longer change, only be scored.`,
        { quarterState: quarter.state },
      );
    const pilot = await this.tenancy.repo(Pilot, 'pilot', manager).get(quarter.pilotId);
    if (ENDED.includes(pilot.state))
      throw new ConflictError(`The pilot is ${pilot.state}; its OKRs can no longer change, only be scored.`, {
        pilotState: pilot.state,
      });
    return { quarter, pilot };
  }

  /** Locks the objective before the key result, the same order everywhere. */
  private async lockKeyResult(
    id: string,
    manager: EntityManager,
  ): Promise<{ objective: Objective; kr: KeyResult }> {
    const found = await this.keyResults(manager).get(id);
    const objective = await this.objectives(manager).get(found.objectiveId, { lock: true });
    const kr = await this.keyResults(manager).get(id, { lock: true });
    return { objective, kr };
  }

  private assert(issues: InputIssue[], message: string): void {
    if (issues.length) throw new InvalidInputError(message, issues);
  }

  private levelIssues(pilot: Pilot, level: Level | null | undefined): InputIssue[] {
    if (level === null || level === undefined) return [];
    if (!LEVELS.includes(level)) return [{ field: 'level', reason: `must be one of ${LEVELS.join(', ')}` }];
    if (!pilot.levels.includes(level))
      return [
        { field: 'level', reason: `"${level}" is not a level of this pilot (${pilot.levels.join(', ')})` },
      ];
    return [];
  }

  /** Every owner must be a participant of the pilot. */
  private async ownerIssues(
    pilotId: string,
    owners: { field: string; id: string | null | undefined }[],
    manager: EntityManager,
  ): Promise<InputIssue[]> {
    const ids = [...new Set(owners.map((o) => o.id).filter((id): id is string => !!id))];
    if (!ids.length) return [];
    const members = await this.tenancy
      .repo(PilotMembership, 'participant', manager)
      .find({ where: { pilotId, participantId: In(ids) } });
    const known = new Set(members.map((m) => m.participantId));
    return owners
      .filter((o) => o.id && !known.has(o.id))
      .map((o) => ({ field: o.field, reason: 'not a participant of this pilot' }));
  }

  private async pilotParticipants(
    pilotId: string,
    emails: string[],
    manager: EntityManager,
  ): Promise<Participant[]> {
    if (!emails.length) return [];
    return this.tenancy
      .repo(Participant, 'participant', manager)
      .query('p')
      .innerJoin(PilotMembership, 'm', 'm.participantId = p.id AND m.workspaceId = p.workspaceId')
      .andWhere('m.pilotId = :pilotId', { pilotId })
      .andWhere('p.email IN (:...emails)', { emails })
      .getMany();
  }

  private async objectiveTitleIssues(
    quarterId: string,
    title: string,
    exceptId: string | null,
    manager: EntityManager,
  ): Promise<InputIssue[]> {
    const other = await this.objectives(manager).findOne({ quarterId, title });
    return other && other.id !== exceptId
      ? [{ field: 'title', reason: 'another objective of this quarter has this title' }]
      : [];
  }

  private async keyResultTitleIssues(
    objectiveId: string,
    title: string,
    exceptId: string | null,
    manager: EntityManager,
  ): Promise<InputIssue[]> {
    const other = await this.keyResults(manager).findOne({ objectiveId, title });
    return other && other.id !== exceptId
      ? [{ field: 'title', reason: 'another key result of this objective has this title' }]
      : [];
  }

  private newKeyResult(objective: Objective, input: KeyResultInput): Omit<Partial<KeyResult>, 'id'> {
    const recorded = RECORDED.some((field) => input[field] !== undefined && input[field] !== null);
    return {
      objectiveId: objective.id,
      quarterId: objective.quarterId,
      pilotId: objective.pilotId,
      organizationId: objective.organizationId,
      title: input.title.trim(),
      kind: input.kind ?? 'committed',
      measure: input.measure,
      startValue: input.start ?? null,
      targetValue: input.target ?? null,
      unit: input.unit?.trim() ?? '',
      currentValue: input.current ?? null,
      done: input.done ?? false,
      ownerId: input.ownerId ?? null,
      confidence: input.confidence ?? null,
      recordedAt: recorded ? this.clock.now() : null,
      finalScore: null,
      scoredAt: null,
    };
  }

  /** Recomputes the objective's cached score from its key results. */
  private async rescore(objective: Objective, manager: EntityManager): Promise<void> {
    const krs = await this.keyResults(manager).find({ where: { objectiveId: objective.id } });
    const score = objectiveScore(krs);
    if (score !== objective.finalScore) {
      objective.finalScore = score;
      await this.objectives(manager).save(objective);
    }
  }

  private async result(
    kr: KeyResult,
    objective: Objective,
    manager?: EntityManager,
  ): Promise<KeyResultResult> {
    const krs = await this.keyResults(manager).find({ where: { objectiveId: objective.id } });
    return {
      ...this.forReader(keyResultView(kr)),
      objectiveScore: objective.finalScore,
      hints: qualityHints({ keyResults: krs }),
    };
  }

  /**
   * An owner is a participant, and sponsors see no personal data: a sponsor reads objectives and key
   * results without their owners (progress, scores and confidence are the OKR's, not the person's).
   */
  private forReader<T extends { ownerId: string | null }>(view: T): T {
    return this.tenancy.actor.role === 'sponsor' ? { ...view, ownerId: null } : view;
  }

  private async views(objectives: Objective[], manager?: EntityManager): Promise<ObjectiveView[]> {
    if (!objectives.length) return [];
    const krs = await this.keyResults(manager).find({
      where: { objectiveId: In(objectives.map((o) => o.id)) },
      order: { position: 'ASC', createdAt: 'ASC', id: 'ASC' },
    });
    return objectives.map((o) => {
      const view = this.forReader(
        objectiveView(
          o,
          krs.filter((kr) => kr.objectiveId === o.id),
        ),
      );
      return { ...view, keyResults: view.keyResults.map((kr) => this.forReader(kr)) };
    });
  }
}

export function keyResultView(kr: KeyResult): KeyResultView {
  const share = progress(kr);
  return {
    id: kr.id,
    objectiveId: kr.objectiveId,
    quarterId: kr.quarterId,
    pilotId: kr.pilotId,
    organizationId: kr.organizationId,
    title: kr.title,
    kind: kr.kind,
    measure: kr.measure,
    start: kr.startValue,
    target: kr.targetValue,
    unit: kr.unit,
    current: kr.currentValue,
    done: kr.done,
    ownerId: kr.ownerId,
    confidence: kr.confidence,
    recordedAt: kr.recordedAt,
    finalScore: kr.finalScore,
    scoredAt: kr.scoredAt,
    position: kr.position,
    progress: share,
    band: colourBand(kr.finalScore ?? share),
    createdAt: kr.createdAt,
    updatedAt: kr.updatedAt,
  };
}

export function objectiveView(objective: Objective, keyResults: KeyResult[]): ObjectiveView {
  const share = objectiveProgress(keyResults);
  return {
    id: objective.id,
    quarterId: objective.quarterId,
    pilotId: objective.pilotId,
    organizationId: objective.organizationId,
    title: objective.title,
    description: objective.description,
    ownerId: objective.ownerId,
    level: objective.level,
    position: objective.position,
    carriedFromId: objective.carriedFromId,
    finalScore: objective.finalScore,
    progress: share,
    band: colourBand(objective.finalScore ?? share),
    hints: qualityHints({ keyResults }),
    keyResults: keyResults.map(keyResultView),
    createdAt: objective.createdAt,
    updatedAt: objective.updatedAt,
  };
}

const draftOf = (input: KeyResultInput): KeyResultDraft => ({ ...input, kind: input.kind ?? 'committed' });

/** The fields a patch sets (a DTO instance carries the others as undefined). */
const given = (patch: object): string[] =>
  Object.entries(patch)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);

/**
 * The key result's state after a patch, in the API's names. Values that no longer fit a changed measure
 * (a metric's numbers on a milestone, a done flag on a metric) are dropped unless the patch sends them,
 * in which case validation names them.
 */
function mergeDraft(kr: KeyResult, patch: KeyResultPatch): KeyResultDraft {
  const draft: KeyResultDraft = {
    title: kr.title,
    kind: kr.kind,
    measure: kr.measure,
    start: kr.startValue,
    target: kr.targetValue,
    unit: kr.unit,
    current: kr.currentValue,
    done: kr.done,
    confidence: kr.confidence,
  };
  for (const key of Object.keys(draft) as (keyof KeyResultDraft)[]) {
    if (patch[key] !== undefined) (draft as Record<string, unknown>)[key] = patch[key];
  }
  if (draft.measure !== 'metric') {
    for (const key of ['start', 'target', 'current'] as const)
      if (patch[key] === undefined) draft[key] = null;
    if (patch.unit === undefined) draft.unit = '';
  } else if (patch.done === undefined) {
    draft.done = false;
  }
  return draft;
}

function validateObjectiveFields(input: ObjectivePatch, partial = false): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!partial || input.title !== undefined) issues.push(...validateTitle(input.title));
  if (input.description && input.description.length > MAX_DESCRIPTION)
    issues.push({ field: 'description', reason: `at most ${MAX_DESCRIPTION} characters` });
  if (input.position !== undefined && !(Number.isInteger(input.position) && input.position >= 0))
    issues.push({ field: 'position', reason: 'must be a whole number from 0' });
  return issues;
}

function duplicateTitles(titles: string[]): InputIssue[] {
  const seen = new Map<string, number>();
  return titles.flatMap((title, i) => {
    const key = typeof title === 'string' ? title.trim() : '';
    if (!key) return [];
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return [];
    }
    return [{ field: `keyResults[${i}].title`, reason: `the same title as keyResults[${first}]` }];
  });
}
