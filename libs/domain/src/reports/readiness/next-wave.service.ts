import { Injectable } from '@nestjs/common';
import type { Level, Locale } from '@luotsi/database';
import { AuditLog } from '../../audit';
import { ConflictError, InputIssue, InvalidInputError } from '../../common/errors';
import { OrganizationService, RolloutService } from '../../organizations';
import { PilotService, type PilotView } from '../../pilots';
import { Tenancy } from '../../tenancy/tenancy.service';
import type { NextWave, ReadinessReportContent } from '../report-content';
import { ReportsStore } from '../reports.store';
import { NextWaveSeeds } from './next-wave-seeds';
import { RolloutDecisionsStore } from './rollout-decisions.store';

/** One pilot of the next wave as the coach adjusts it; what is left out comes from the proposal. */
export interface NextWavePilotInput {
  name?: string;
  size?: number;
  levels?: Level[];
  startQuarter?: string;
  coachId?: string | null;
}

export interface NextWaveInput {
  /** The wave's pilots; one pilot of the proposed size when left out. */
  pilots?: NextWavePilotInput[];
}

export interface NextWaveView {
  /** False when the wave existed already: the pilots are those created by the first call. */
  created: boolean;
  readinessReportId: string;
  decisionId: string;
  waveNumber: number;
  pilots: PilotView[];
}

export const MAX_WAVE_PILOTS = 10;

/** A new pilot's name when the coach gives none, in the organization's language. */
const WAVE_NAME: Record<Locale, string> = { fi: 'Aalto', sv: 'Våg', en: 'Wave' };

/**
 * The next wave from the last: from a readiness report whose latest decision is `go`, creates the
 * proposed pilot(s) in the rollout (size, levels and start quarter as proposed, or as the coach adjusts
 * them), as the wave after the latest one, seeded from the previous wave (`NextWaveSeeds`) and linked
 * to the decision. Once: a second call answers with the pilots the first one created.
 */
@Injectable()
export class NextWaveService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly audit: AuditLog,
    private readonly reports: ReportsStore,
    private readonly decisions: RolloutDecisionsStore,
    private readonly rollouts: RolloutService,
    private readonly organizations: OrganizationService,
    private readonly pilots: PilotService,
    private readonly seeds: NextWaveSeeds,
  ) {}

  /** The wave created from the report, if one was: its number and its pilots. */
  async waveOf(reportId: string): Promise<{ waveNumber: number; pilots: PilotView[] } | null> {
    const decisions = await this.decisions.findDecisions({ readinessReportId: reportId });
    const pilots = await this.pilots.pilotsOfDecisions(decisions.map((d) => d.id));
    return pilots.length ? { waveNumber: pilots[0].waveNumber, pilots } : null;
  }

  async create(reportId: string, input: NextWaveInput = {}): Promise<NextWaveView> {
    checkShape(input);
    const wave = await this.tenancy.transaction(async (manager) => {
      const report = await this.reports.getReadinessReport(reportId, {}, manager);
      // The rollout's lock serialises two calls for the same wave: the second finds the first's pilots.
      const rollout = await this.rollouts.getForUpdate(report.rolloutId, manager);
      const decisions = await this.decisions.findDecisions({ readinessReportId: report.id }, undefined, manager);
      const existing = await this.pilots.pilotsOfDecisions(
        decisions.map((d) => d.id),
        manager,
      );
      if (existing.length)
        return {
          created: false,
          decisionId: existing[0].decisionId!,
          waveNumber: existing[0].waveNumber,
          pilotIds: existing.map((p) => p.id),
        };

      const decision = decisions[0];
      if (!decision)
        throw new ConflictError('No decision is recorded on this report; the next wave needs a go.', {
          decision: null,
        });
      if (decision.decision !== 'go')
        throw new ConflictError(
          `The latest decision on this report is ${decision.decision}; only a go creates the next wave.`,
          { decision: decision.decision, decisionId: decision.id },
        );
      const proposal = (report.content as ReadinessReportContent | null)?.nextWave;
      if (!proposal || !proposal.levels.length)
        throw new ConflictError('The report proposes no next wave.', { proposal: null });
      const planned = plan(proposal, input);

      const organization = await this.organizations.get(rollout.organizationId, manager);
      const pilots = await this.pilots.pilotsOfRollout(rollout.id, manager);
      const previous = this.seeds.modelOf(pilots);
      const waveNumber = (previous?.waveNumber ?? 0) + 1;
      const seeds = this.seeds.pilotSeeds(previous);
      const created: string[] = [];
      const seeded: Record<string, unknown>[] = [];
      for (const [i, pilot] of planned.entries()) {
        const name =
          pilot.name ??
          `${WAVE_NAME[organization.defaultLocale]} ${waveNumber}${planned.length > 1 ? `.${i + 1}` : ''}`;
        const row = await this.pilots.createIn(
          rollout.id,
          {
            name,
            waveNumber,
            levels: pilot.levels,
            startQuarter: pilot.startQuarter,
            quarterCount: seeds.quarterCount,
            coachId: pilot.coachId !== undefined ? pilot.coachId : seeds.coachId,
          },
          manager,
          { decisionId: decision.id, plannedSize: pilot.size },
        );
        seeded.push(await this.seeds.seedFromPreviousWave(previous, row, manager));
        created.push(row.id);
      }
      // The link the audit log keeps: decision → wave → pilots (each pilot's own entry names the decision).
      await this.audit.record(
        {
          action: 'rollout.next_wave_created',
          entityType: 'rollout_decision',
          entityId: decision.id,
          details: {
            decisionId: decision.id,
            readinessReportId: report.id,
            rolloutId: rollout.id,
            waveNumber,
            previousWave: previous?.waveNumber ?? null,
            pilotIds: created,
            seeded,
          },
        },
        manager,
      );
      return { created: true, decisionId: decision.id, waveNumber, pilotIds: created };
    });
    return {
      created: wave.created,
      readinessReportId: reportId,
      decisionId: wave.decisionId,
      waveNumber: wave.waveNumber,
      pilots: await this.pilots.getMany(wave.pilotIds),
    };
  }
}

interface PlannedPilot {
  name?: string;
  size: number;
  levels: Level[];
  startQuarter: string;
  coachId?: string | null;
}

/** What the body says wrong of itself, before anything is read: refused by field, nothing created. */
function checkShape(input: NextWaveInput): void {
  const issues: InputIssue[] = [];
  const pilots = input.pilots ?? [];
  if (input.pilots !== undefined && !pilots.length)
    issues.push({ field: 'pilots', reason: 'must name at least one pilot, or be left out' });
  if (pilots.length > MAX_WAVE_PILOTS)
    issues.push({ field: 'pilots', reason: `at most ${MAX_WAVE_PILOTS} pilots a wave` });
  for (const [i, pilot] of pilots.entries()) {
    if (pilot.name !== undefined && !pilot.name.trim())
      issues.push({ field: `pilots[${i}].name`, reason: 'must not be blank' });
    if (pilot.size !== undefined && !(Number.isInteger(pilot.size) && pilot.size >= 1))
      issues.push({ field: `pilots[${i}].size`, reason: 'must be a whole number of at least 1' });
    if (pilot.levels !== undefined && !pilot.levels.length)
      issues.push({ field: `pilots[${i}].levels`, reason: 'must name at least one level' });
  }
  if (issues.length) throw new InvalidInputError('The next wave is invalid; no pilot was created.', issues);
}

/**
 * The wave's pilots: as the coach gives them, the rest from the proposal. Sizes left out share what the
 * proposal leaves after the sizes given (the first pilots take the remainder); a pilot left with no one
 * is refused, naming its field.
 */
function plan(proposal: NextWave, input: NextWaveInput): PlannedPilot[] {
  const given: NextWavePilotInput[] = input.pilots?.length ? input.pilots : [{}];
  const issues: InputIssue[] = [];
  const fixed = given.reduce((sum, p) => sum + (p.size ?? 0), 0);
  const open = given.filter((p) => p.size === undefined).length;
  const left = Math.max(0, proposal.size - fixed);
  let openIndex = 0;
  const planned = given.map((pilot, i): PlannedPilot => {
    let size = pilot.size;
    if (size === undefined) {
      size = Math.floor(left / open) + (openIndex < left % open ? 1 : 0);
      openIndex += 1;
      if (size < 1)
        issues.push({ field: `pilots[${i}].size`, reason: 'the proposal leaves no one for this pilot; give its size' });
    }
    const name = pilot.name?.trim();
    return {
      ...(name ? { name } : {}),
      size,
      levels: pilot.levels?.length ? pilot.levels : proposal.levels,
      startQuarter: pilot.startQuarter ?? proposal.startQuarter,
      ...(pilot.coachId !== undefined ? { coachId: pilot.coachId } : {}),
    };
  });
  if (issues.length) throw new InvalidInputError('The next wave is invalid; no pilot was created.', issues);
  return planned;
}
