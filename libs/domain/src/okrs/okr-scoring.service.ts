import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Objective } from '@luotsi/database';
import { PilotService } from '../pilots';
import { Clock } from '../common/clock';
import { ConflictError, InvalidInputError } from '../common/errors';
import { Tenancy } from '../tenancy/tenancy.service';
import { objectiveScore, validateScore } from './okr-rules';
import { OkrAccess } from './okr-access';
import { OkrsStore } from './okrs.store';
import type { KeyResultResult } from './okr-views';

/** Final scores: a key result's, recorded at the quarter's end, and its objective's, the mean of them. */
@Injectable()
export class OkrScoringService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly clock: Clock,
    private readonly okrs: OkrAccess,
    private readonly store: OkrsStore,
    private readonly pilots: PilotService,
  ) {}

  /**
   * Records a key result's final score (0.0–1.0) and recomputes its objective's. Allowed once the quarter
   * has begun, and after it closed: scoring is the quarter's last act.
   */
  async scoreKeyResult(id: string, score: number): Promise<KeyResultResult> {
    const issues = validateScore(score);
    if (issues.length) throw new InvalidInputError('The score is invalid; nothing was changed.', issues);
    return this.tenancy.transaction(async (manager) => {
      const { objective, kr } = await this.okrs.lockKeyResult(id, manager);
      const quarter = await this.pilots.quarter(objective.quarterId, manager);
      if (quarter.state === 'upcoming')
        throw new ConflictError(
          `The quarter ${quarter.label} has not started; key results are scored at its end.`,
          { quarterState: quarter.state },
        );
      kr.finalScore = score;
      kr.scoredAt = this.clock.now();
      await this.store.saveKeyResult(kr, manager);
      await this.rescore(objective, manager);
      await this.okrs.record(manager, 'key_result.scored', id, {
        score,
        objectiveId: objective.id,
        objectiveScore: objective.finalScore,
      });
      return this.okrs.result(kr, objective, manager);
    });
  }

  /** Recomputes the objective's cached score from its key results. */
  async rescore(objective: Objective, manager: EntityManager): Promise<void> {
    const krs = await this.store.keyResultsOf(objective.id, manager);
    const score = objectiveScore(krs);
    if (score !== objective.finalScore) {
      objective.finalScore = score;
      await this.store.saveObjective(objective, manager);
    }
  }
}
