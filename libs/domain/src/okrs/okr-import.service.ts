import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PilotService } from '../pilots';
import { InputIssue, InvalidInputError } from '../common/errors';
import { DeclaredFile, ReadAs, readAsOf, readSpreadsheetFile } from '../common/spreadsheet-file';
import { Tenancy } from '../tenancy/tenancy.service';
import { AuditLog } from '../audit';
import { OkrCsvRow, parseOkrCsv } from './okr-csv';
import { OkrAccess } from './okr-access';
import { OkrsStore } from './okrs.store';

export interface OkrImportSummary {
  rows: number;
  objectivesCreated: number;
  objectivesUnchanged: number;
  keyResultsCreated: number;
  keyResultsUpdated: number;
  keyResultsUnchanged: number;
  /** How the file was read, when not as plain UTF-8 text (Windows-1252, UTF-16, a workbook's first sheet). */
  readAs?: ReadAs;
}

/** A quarter's OKRs from a CSV file or a workbook, all or nothing, idempotent. */
@Injectable()
export class OkrImportService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly audit: AuditLog,
    private readonly okrs: OkrAccess,
    private readonly store: OkrsStore,
    private readonly pilots: PilotService,
  ) {}

  /**
   * Imports a quarter's OKRs from CSV, all or nothing. Objectives are matched by title within the quarter
   * and key results by title within their objective, so the same file twice changes nothing.
   */
  async importCsv(quarterId: string, file: Buffer, declared?: DeclaredFile): Promise<OkrImportSummary> {
    await this.pilots.quarter(quarterId);
    const { records, reading } = await readSpreadsheetFile(file, declared);
    const rows = parseOkrCsv(records);
    const readAs = readAsOf(reading);
    const summary = await this.tenancy.transaction(async (manager) => {
      const { quarter } = await this.okrs.quarterForWrite(quarterId, manager, true);
      const owners = await this.owners(quarter.pilotId, rows, manager);

      const objectives = await this.store.objectivesOf(quarterId, manager);
      const byTitle = new Map(objectives.map((o) => [o.title, o]));
      const krs = objectives.length
        ? await this.store.keyResultsOf(
            objectives.map((o) => o.id),
            manager,
          )
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
          objective = await this.store.createObjective(
            {
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
            },
            manager,
          );
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
          ownerId: spec.ownerEmail ? (owners.get(spec.ownerEmail) ?? null) : null,
        };
        const existing = byKey.get(`${objective.id}\u0000${spec.title}`);
        if (!existing) {
          const position = krCount.get(objective.id) ?? 0;
          krCount.set(objective.id, position + 1);
          const kr = await this.store.createKeyResult(
            {
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
            },
            manager,
          );
          byKey.set(`${objective.id}\u0000${kr.title}`, kr);
          summary.keyResultsCreated++;
        } else if (
          (Object.keys(values) as (keyof typeof values)[]).some((key) => existing[key] !== values[key])
        ) {
          Object.assign(existing, values);
          // A value or a done flag that no longer fits the measure goes with the old measure.
          if (existing.measure !== 'metric') existing.currentValue = null;
          else existing.done = false;
          await this.store.saveKeyResult(existing, manager);
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
    return readAs ? { ...summary, readAs } : summary;
  }

  /** The owners the file names, by email; every one must be a participant of the pilot. */
  private async owners(
    pilotId: string,
    rows: OkrCsvRow[],
    manager: EntityManager,
  ): Promise<Map<string, string>> {
    const emails = [...new Set(rows.map((r) => r.keyResult?.ownerEmail).filter((e): e is string => !!e))];
    const owners = new Map(
      (await this.pilotParticipants(pilotId, emails, manager)).map((p) => [p.email, p.id]),
    );
    const issues: InputIssue[] = rows.flatMap((r) => {
      const email = r.keyResult?.ownerEmail;
      return email && !owners.has(email)
        ? [{ field: 'owner_email', line: r.line, reason: `${email} is not a participant of this pilot` }]
        : [];
    });
    if (issues.length) {
      const lines = new Set(issues.map((i) => i.line));
      throw new InvalidInputError(
        `${lines.size} line(s) of the file are invalid; nothing was imported.`,
        issues,
      );
    }
    return owners;
  }

  private async pilotParticipants(
    pilotId: string,
    emails: string[],
    manager: EntityManager,
  ): Promise<{ id: string; email: string }[]> {
    if (!emails.length) return [];
    return this.store.pilotParticipantsByEmail(this.tenancy.actor.workspaceId, pilotId, emails, manager);
  }
}
