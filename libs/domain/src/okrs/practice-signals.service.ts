import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PilotService } from '../pilots';
import { Clock } from '../common/clock';
import { Tenancy } from '../tenancy/tenancy.service';
import { round4 } from './okr-rules';

/** A drop in confidence of this much or more from one recorded week to the next is a signal. */
export const CONFIDENCE_DROP = 3;

export interface RhythmCount {
  /** Weeks (1 up to the current week) whose check-in request the cadence sent. */
  due: number;
  /** Of those, the weeks with a check-in. */
  done: number;
  /** done / due, four decimals; null when nothing was due yet. */
  share: number | null;
}

export interface PersonRhythm extends RhythmCount {
  participantId: string;
}

export interface ConfidencePoint {
  week: number;
  confidence: number;
}

export interface ConfidenceTrajectory {
  keyResultId: string;
  objectiveId: string;
  title: string;
  /** Every recorded week, in order. */
  weeks: ConfidencePoint[];
}

export interface ConfidenceDrop {
  keyResultId: string;
  fromWeek: number;
  toWeek: number;
  from: number;
  to: number;
  drop: number;
}

export interface StillKeyResult {
  keyResultId: string;
  objectiveId: string;
  title: string;
  /** How many check-ins it had, none of which moved it. */
  checkIns: number;
}

export interface PracticeSignals {
  quarterId: string;
  pilotId: string;
  /** The quarter's week now, from 1; 0 before it starts; capped at `weeksInQuarter`. */
  currentWeek: number;
  weeksInQuarter: number;
  /** `people`: each owner's rhythm, for the coach; empty for sponsors (aggregates only). */
  rhythm: RhythmCount & { people: PersonRhythm[] };
  confidence: ConfidenceTrajectory[];
  confidenceDrops: ConfidenceDrop[];
  noMovement: StillKeyResult[];
  committed: { total: number; met: number; share: number | null };
  aspirational: { scored: number; average: number | null; spread: number | null };
}

const WEEK_SECONDS = 7 * 24 * 3600;

const share = (done: number, due: number) => (due > 0 ? round4(done / due) : null);
const rounded = (value: number | null) => (value === null ? null : round4(Number(value)));

/**
 * Evidence of OKR practice in one quarter, for the reports: every aggregate is computed by Postgres.
 * The quarter is read through the tenant scope (so a sponsor sees only granted quarters); the SQL then
 * names the actor's workspace explicitly.
 */
@Injectable()
export class PracticeSignalsService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly pilots: PilotService,
  ) {}

  async forQuarter(quarterId: string): Promise<PracticeSignals> {
    const quarter = await this.pilots.quarter(quarterId);
    const workspaceId = this.tenancy.actor.workspaceId;
    const now = this.clock.now();
    const params = [workspaceId, quarter.id];

    // Weeks are counted from the quarter's `starts_at`: week w covers [starts_at + 7(w−1) days, +7 days).
    const [weeks]: { current: number; total: number }[] = await this.dataSource.query(
      `SELECT LEAST(GREATEST(floor(extract(epoch FROM ($3::timestamptz - starts_at)) / ${WEEK_SECONDS})::int + 1, 0),
                    ceil(extract(epoch FROM (ends_at - starts_at)) / ${WEEK_SECONDS})::int) AS current,
              ceil(extract(epoch FROM (ends_at - starts_at)) / ${WEEK_SECONDS})::int AS total
       FROM quarter WHERE workspace_id = $1 AND id = $2`,
      [...params, now],
    );

    // Rhythm: a week is due when the cadence sent that week's check-in request (a `checkin_request` step
    // dispatched, not skipped, in weeks 1..current); for each owner of key results (a key result's owner,
    // else its objective's) it is done when any of that person's key results has a check-in that week.
    const rhythm: { participant_id: string | null; total: number; due: number; done: number }[] =
      await this.dataSource.query(
        `WITH owned AS (
           SELECT kr.id AS key_result_id, COALESCE(kr.owner_id, o.owner_id) AS participant_id
           FROM key_result kr JOIN objective o ON o.id = kr.objective_id
           WHERE kr.workspace_id = $1 AND kr.quarter_id = $2 AND COALESCE(kr.owner_id, o.owner_id) IS NOT NULL
         ),
         owners AS (SELECT DISTINCT participant_id FROM owned),
         requested AS (
           SELECT DISTINCT (d.step_date - q.starts_on) / 7 + 1 AS week
           FROM cadence_dispatch d JOIN quarter q ON q.id = d.quarter_id
           WHERE d.workspace_id = $1 AND d.quarter_id = $2 AND d.kind = 'checkin_request'
             AND d.skipped_reason IS NULL AND (d.step_date - q.starts_on) / 7 + 1 <= $3
         ),
         due AS (
           SELECT ow.participant_id, r.week FROM owners ow LEFT JOIN requested r ON true
         ),
         done AS (
           SELECT DISTINCT owned.participant_id, ci.week
           FROM check_in ci JOIN owned ON owned.key_result_id = ci.key_result_id
           WHERE ci.workspace_id = $1 AND ci.quarter_id = $2
         )
         SELECT d.participant_id, GROUPING(d.participant_id)::int AS total,
                count(d.week)::int AS due, count(dn.week)::int AS done
         FROM due d LEFT JOIN done dn ON dn.participant_id = d.participant_id AND dn.week = d.week
         GROUP BY ROLLUP (d.participant_id)
         ORDER BY GROUPING(d.participant_id), d.participant_id`,
        [...params, weeks.current],
      );
    const overall = rhythm.find((r) => r.total === 1) ?? { due: 0, done: 0 };

    const ordered = `ORDER BY o.position, o.created_at, kr.position, kr.created_at`;
    const trajectories: {
      keyResultId: string;
      objectiveId: string;
      title: string;
      weeks: ConfidencePoint[];
    }[] = await this.dataSource.query(
      `SELECT kr.id AS "keyResultId", kr.objective_id AS "objectiveId", kr.title,
              COALESCE((SELECT json_agg(json_build_object('week', ci.week, 'confidence', ci.confidence)
                                        ORDER BY ci.week)
                        FROM check_in ci WHERE ci.workspace_id = $1 AND ci.key_result_id = kr.id), '[]') AS weeks
       FROM key_result kr JOIN objective o ON o.id = kr.objective_id
       WHERE kr.workspace_id = $1 AND kr.quarter_id = $2
       ${ordered}`,
      params,
    );

    // A drop compares each recorded week with the previous recorded week of the same key result (a missed
    // week in between does not break the comparison).
    const drops: ConfidenceDrop[] = await this.dataSource.query(
      `SELECT "keyResultId", "fromWeek", "toWeek", "from", "to", "from" - "to" AS drop
       FROM (SELECT ci.key_result_id AS "keyResultId", ci.week AS "toWeek", ci.confidence AS "to",
                    lag(ci.week) OVER w AS "fromWeek", lag(ci.confidence) OVER w AS "from"
             FROM check_in ci
             WHERE ci.workspace_id = $1 AND ci.quarter_id = $2
             WINDOW w AS (PARTITION BY ci.key_result_id ORDER BY ci.week)) steps
       WHERE "from" - "to" >= ${CONFIDENCE_DROP}
       ORDER BY "toWeek", "keyResultId"`,
      params,
    );

    // No movement: a key result whose check-ins never recorded anything but its starting state. A metric
    // starts at its start value, so it moved once a check-in recorded a current value different from
    // start_value; a milestone or binary result starts not done, so it moved once a check-in recorded
    // done = yes. (Any change from one week to the next implies a week that differs from the start, so
    // this is the same as "no check-in changed the value or the done flag".) A key result without any
    // check-in has not moved either. Values set through the API rather than a check-in do not count.
    const still: StillKeyResult[] = await this.dataSource.query(
      `SELECT kr.id AS "keyResultId", kr.objective_id AS "objectiveId", kr.title,
              (SELECT count(*)::int FROM check_in ci WHERE ci.workspace_id = $1 AND ci.key_result_id = kr.id)
                AS "checkIns"
       FROM key_result kr JOIN objective o ON o.id = kr.objective_id
       WHERE kr.workspace_id = $1 AND kr.quarter_id = $2
         AND NOT EXISTS (
           SELECT 1 FROM check_in ci
           WHERE ci.workspace_id = $1 AND ci.key_result_id = kr.id
             AND CASE WHEN kr.measure = 'metric'
                      THEN ci.current_value IS NOT NULL AND ci.current_value::float8 IS DISTINCT FROM kr.start_value
                      ELSE ci.done IS TRUE END)
       ${ordered}`,
      params,
    );

    // Committed met: a scored key result is met when its final score is 1.0; an unscored one when its
    // progress is 1 — done (milestone, binary), or a metric whose latest value reached or passed its target
    // in the right direction. Aspirational: mean and population standard deviation of the final scores of
    // the scored aspirational key results (unscored ones are left out).
    const [scores]: {
      committed: number;
      met: number;
      scored: number;
      average: number | null;
      spread: number | null;
    }[] = await this.dataSource.query(
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
      params,
    );

    return {
      quarterId: quarter.id,
      pilotId: quarter.pilotId,
      currentWeek: weeks.current,
      weeksInQuarter: weeks.total,
      rhythm: {
        due: overall.due,
        done: overall.done,
        share: share(overall.done, overall.due),
        // Each owner's record is personal data: the coach's alone, never a sponsor's.
        people: (this.tenancy.actor.role === 'sponsor' ? [] : rhythm)
          .filter((r) => r.total === 0)
          .map((r) => ({
            participantId: r.participant_id!,
            due: r.due,
            done: r.done,
            share: share(r.done, r.due),
          })),
      },
      confidence: trajectories,
      confidenceDrops: drops,
      noMovement: still,
      committed: { total: scores.committed, met: scores.met, share: share(scores.met, scores.committed) },
      aspirational: {
        scored: scores.scored,
        average: rounded(scores.average),
        spread: rounded(scores.spread),
      },
    };
  }
}
