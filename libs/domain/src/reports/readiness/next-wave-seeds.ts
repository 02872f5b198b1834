import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Pilot } from '@luotsi/database';
import { CadenceService } from '../../cadence';

/** What a next wave's pilot is created with from the wave before it. */
export interface PilotSeeds {
  /** The previous wave's pilot the seeds come from; null when the rollout has no pilot yet. */
  fromPilotId: string | null;
  /** The previous wave's length in quarters. */
  quarterCount?: number;
  /** The previous wave's coach, unless the coach names another. */
  coachId: string | null;
}

/**
 * The one place where a next wave takes over what the wave before it ran with: the previous pilot's own
 * cadence, if it had one (its steps with their audiences and texts in each language, and the scheduled
 * retrospective's question set, mode and k), else the rollout's plan, which the new pilot inherits as the
 * old one did; of the pilot's own settings, its length in quarters and its coach carry over.
 */
@Injectable()
export class NextWaveSeeds {
  constructor(private readonly cadence: CadenceService) {}

  /** The model of the previous wave: its first pilot (by creation), if the rollout has any. */
  modelOf(pilots: Pilot[]): Pilot | undefined {
    const wave = Math.max(0, ...pilots.map((p) => p.waveNumber));
    return pilots.find((p) => p.waveNumber === wave);
  }

  /** What the new pilot is created with. */
  pilotSeeds(previous: Pilot | undefined): PilotSeeds {
    if (!previous) return { fromPilotId: null, coachId: null };
    return { fromPilotId: previous.id, quarterCount: previous.quarterCount, coachId: previous.coachId };
  }

  /**
   * After the new pilot is created, in the same transaction: copies what the previous wave's pilot owns
   * of its own beyond what `pilotSeeds` gave at creation. Returns what was copied, for the audit log.
   */
  async seedFromPreviousWave(
    previous: Pilot | undefined,
    created: Pilot,
    manager: EntityManager,
  ): Promise<Record<string, unknown>> {
    if (!previous) return { from: null };
    const steps = await this.cadence.copyPilotCadence(previous.id, created.id, manager);
    return {
      from: previous.id,
      cadence: steps ? { pilotSteps: steps } : 'rollout',
      quarterCount: previous.quarterCount,
      coachId: previous.coachId,
    };
  }
}
