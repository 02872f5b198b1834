import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { KeyResult, Objective } from '@luotsi/database';
import { Page, PageRequest } from '../common/page';
import { Tenancy } from '../tenancy/tenancy.service';
import { QUARTER_ROWS } from '../pilots/relations';
import { PARTICIPANT_ROWS, PILOT_MEMBERSHIP_ROWS } from '../participants/relations';
import { WEEKS_IN_QUARTER } from './check-ins.store';
import { CHECK_IN_ROWS } from './relations';
import type { CheckInAnswerRow } from './check-ins.store';
import type { CheckInKeyResult } from './check-in.service';

type NewObjective = Omit<Partial<Objective>, 'workspaceId' | 'id'>;
type NewKeyResult = Omit<Partial<KeyResult>, 'workspaceId' | 'id'>;

/** What a check-in mail needs to know of its recipient and quarter. */
export interface CheckInFacts {
  time_zone: string;
  starts_on: string;
  ends_at: Date;
  weeks_in_quarter: number;
  /** Whether the person owns a key result of the quarter (its own owner, else its objective's). */
  owns: boolean;
}

/** What the practice signals count of a quarter's key results' kinds and scores. */
export interface PracticeScores {
  committed: number;
  met: number;
  scored: number;
  average: number | null;
  spread: number | null;
}

/**
 * Objectives and their key results (`objective`, `key_result`): the only code that reads or writes them
 * (check-ins and their links: check-ins.store.ts). A use by a member or a sponsor goes through the actor's
 * scope (`Tenancy.repo`); the set-based SQL takes the workspace, or the quarter or the key results a
 * scoped caller (or a check-in link) has already found.
 */
@Injectable()
export class OkrsStore {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly dataSource: DataSource,
  ) {}

  private objectives(manager?: EntityManager) {
    return this.tenancy.repo(Objective, 'objective', manager);
  }

  private keyResults(manager?: EntityManager) {
    return this.tenancy.repo(KeyResult, 'key result', manager);
  }

  /** A quarter's objectives, in order. */
  pageObjectives(quarterId: string, page: PageRequest): Promise<Page<Objective>> {
    return this.objectives().page(page, { quarterId }, { position: 'ASC', createdAt: 'ASC', id: 'ASC' });
  }

  getObjective(id: string, options: { lock?: boolean } = {}, manager?: EntityManager): Promise<Objective> {
    return this.objectives(manager).get(id, options);
  }

  /** A quarter's objectives; `ordered` puts them in their order. */
  objectivesOf(quarterId: string, manager?: EntityManager, ordered = false): Promise<Objective[]> {
    return this.objectives(manager).find({
      where: { quarterId },
      ...(ordered && { order: { position: 'ASC', createdAt: 'ASC', id: 'ASC' } }),
    });
  }

  /** The quarter's objective with this title, if there is one. */
  objectiveTitled(quarterId: string, title: string, manager?: EntityManager): Promise<Objective | null> {
    return this.objectives(manager).findOne({ quarterId, title });
  }

  countObjectives(quarterId: string, manager?: EntityManager): Promise<number> {
    return this.objectives(manager).count({ quarterId });
  }

  createObjective(values: NewObjective, manager?: EntityManager): Promise<Objective> {
    return this.objectives(manager).create(values);
  }

  saveObjective(objective: Objective, manager?: EntityManager): Promise<Objective> {
    return this.objectives(manager).save(objective);
  }

  removeObjective(objective: Objective, manager?: EntityManager): Promise<void> {
    return this.objectives(manager).remove(objective);
  }

  getKeyResult(id: string, options: { lock?: boolean } = {}, manager?: EntityManager): Promise<KeyResult> {
    return this.keyResults(manager).get(id, options);
  }

  /** The key results of one objective or of several; `ordered` puts them in their order. */
  keyResultsOf(
    objectiveIds: string | string[],
    manager?: EntityManager,
    ordered = false,
  ): Promise<KeyResult[]> {
    return this.keyResults(manager).find({
      where: { objectiveId: Array.isArray(objectiveIds) ? In(objectiveIds) : objectiveIds },
      ...(ordered && { order: { position: 'ASC', createdAt: 'ASC', id: 'ASC' } }),
    });
  }

  /** The objective's key result with this title, if there is one. */
  keyResultTitled(objectiveId: string, title: string, manager?: EntityManager): Promise<KeyResult | null> {
    return this.keyResults(manager).findOne({ objectiveId, title });
  }

  countKeyResults(objectiveId: string, manager?: EntityManager): Promise<number> {
    return this.keyResults(manager).count({ objectiveId });
  }

  createKeyResult(values: NewKeyResult, manager?: EntityManager): Promise<KeyResult> {
    return this.keyResults(manager).create(values);
  }

  saveKeyResult(kr: KeyResult, manager?: EntityManager): Promise<KeyResult> {
    return this.keyResults(manager).save(kr);
  }

  removeKeyResult(kr: KeyResult, manager?: EntityManager): Promise<void> {
    return this.keyResults(manager).remove(kr);
  }

  /** The pilot's participants among these ids (owners must be participants of the pilot). */
  async pilotMembers(
    workspaceId: string,
    pilotId: string,
    participantIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows: { participant_id: string }[] = await manager.query(
      `SELECT m.participant_id FROM ${PILOT_MEMBERSHIP_ROWS} m
       WHERE m.workspace_id = $1 AND m.pilot_id = $2 AND m.participant_id = ANY($3::uuid[])`,
      [workspaceId, pilotId, participantIds],
    );
    return rows.map((r) => r.participant_id);
  }

  /** The pilot's participants with these emails. */
  pilotParticipantsByEmail(
    workspaceId: string,
    pilotId: string,
    emails: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ id: string; email: string }[]> {
    return manager.query(
      `SELECT p.id, p.email FROM ${PARTICIPANT_ROWS} p
       JOIN ${PILOT_MEMBERSHIP_ROWS} m ON m.participant_id = p.id AND m.workspace_id = p.workspace_id
       WHERE p.workspace_id = $1 AND m.pilot_id = $2 AND p.email = ANY($3::text[])`,
      [workspaceId, pilotId, emails],
    );
  }

  /** The recipient's time zone, the quarter's dates, and whether the person owns any of its key results. */
  async checkInFacts(
    manager: EntityManager,
    participantId: string,
    quarterId: string | null,
  ): Promise<CheckInFacts | null> {
    const [facts] = await manager.query(
      `SELECT p.time_zone, to_char(q.starts_on, 'YYYY-MM-DD') AS starts_on, q.ends_at, ${WEEKS_IN_QUARTER},
              EXISTS (SELECT 1 FROM key_result kr JOIN objective o ON o.id = kr.objective_id
                      WHERE kr.quarter_id = q.id AND COALESCE(kr.owner_id, o.owner_id) = p.id) AS owns
       FROM ${PARTICIPANT_ROWS} p, ${QUARTER_ROWS} q WHERE p.id = $1 AND q.id = $2`,
      [participantId, quarterId],
    );
    return facts ?? null;
  }

  /** The person's own key results of the quarter, in order, for the check-in form. */
  checkInKeyResults(
    quarterId: string,
    participantId: string,
  ): Promise<(Omit<CheckInKeyResult, 'progress'> & Record<string, unknown>)[]> {
    return this.dataSource.query(
      `SELECT kr.id, o.title AS "objectiveTitle", kr.title, kr.kind, kr.measure, kr.start_value AS "startValue",
              kr.target_value AS "targetValue", kr.unit, kr.current_value AS "currentValue", kr.done, kr.confidence,
              kr.final_score AS "finalScore"
       FROM key_result kr JOIN objective o ON o.id = kr.objective_id
       WHERE kr.quarter_id = $1 AND COALESCE(kr.owner_id, o.owner_id) = $2
       ORDER BY o.position, o.created_at, kr.position, kr.created_at`,
      [quarterId, participantId],
    );
  }

  /** A check-in's answer becomes the key result's latest state: an earlier week answered late does not. */
  async recordLatest(manager: EntityManager, answer: CheckInAnswerRow, now: Date): Promise<void> {
    await manager.query(
      `UPDATE key_result kr SET current_value = COALESCE($2, current_value), done = COALESCE($3, done),
              confidence = $4, recorded_at = $5, updated_at = $5
       WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM ${CHECK_IN_ROWS} ci WHERE ci.key_result_id = kr.id AND ci.week > $6)`,
      [answer.keyResultId, answer.currentValue, answer.done, answer.confidence, now, answer.week],
    );
  }

  /** A key result's final score, given in a check-in. */
  async scoreFromCheckIn(
    manager: EntityManager,
    keyResultId: string,
    score: number,
    now: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE key_result SET final_score = $2, scored_at = $3, updated_at = $3 WHERE id = $1`,
      [keyResultId, score, now],
    );
  }

  /**
   * An objective's score is the mean of its key results' final scores (as `objectiveScore` computes it),
   * recomputed for the objectives of these key results.
   */
  async rescoreObjectives(manager: EntityManager, keyResultIds: string[]): Promise<void> {
    await manager.query(
      `UPDATE objective o SET final_score = s.score, updated_at = now()
       FROM (SELECT kr.objective_id, round(avg(kr.final_score)::numeric, 4)::float8 AS score
             FROM key_result kr
             WHERE kr.objective_id IN (SELECT objective_id FROM key_result WHERE id = ANY($1::uuid[]))
             GROUP BY kr.objective_id) s
       WHERE o.id = s.objective_id`,
      [keyResultIds],
    );
  }

  /**
   * Committed met: a scored key result is met when its final score is 1.0; an unscored one when its
   * progress is 1 — done (milestone, binary), or a metric whose latest value reached or passed its target
   * in the right direction. Aspirational: mean and population standard deviation of the final scores of
   * the scored aspirational key results (unscored ones are left out).
   */
  async practiceScores(workspaceId: string, quarterId: string): Promise<PracticeScores> {
    const [scores]: PracticeScores[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE kind = 'committed')::int AS committed,
              count(*) FILTER (WHERE kind = 'committed' AND CASE
                WHEN final_score IS NOT NULL THEN final_score >= 1
                WHEN measure = 'metric' THEN
                  (target_value - start_value) * (COALESCE(current_value, start_value) - target_value) >= 0
                ELSE done END)::int AS met,
              count(final_score) FILTER (WHERE kind = 'aspirational')::int AS scored,
              avg(final_score) FILTER (WHERE kind = 'aspirational') AS average,
              stddev_pop(final_score) FILTER (WHERE kind = 'aspirational') AS spread
       FROM key_result WHERE workspace_id = $1 AND quarter_id = $2`,
      [workspaceId, quarterId],
    );
    return scores;
  }
}
