import { Injectable } from '@nestjs/common';
import type { Quarter } from '@luotsi/database';
import { PilotService } from '../pilots';
import { Clock } from '../common/clock';
import { Tenancy } from '../tenancy/tenancy.service';
import { round4 } from './okr-rules';
import { OkrsStore } from './okrs.store';
import { CheckInsStore } from './check-ins.store';

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

/** The quarter's weeks and each key result's confidence week by week: what a check-in grid shows. */
export type ConfidenceGrid = Pick<
  PracticeSignals,
  'quarterId' | 'pilotId' | 'currentWeek' | 'weeksInQuarter' | 'confidence'
>;

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
    private readonly clock: Clock,
    private readonly pilots: PilotService,
    private readonly okrs: OkrsStore,
    private readonly checkIns: CheckInsStore,
  ) {}

  /**
   * Only the weeks and the confidence trajectories of a quarter the caller has already read through the
   * tenant scope (the rest of the signals are aggregates a grid does not show). Counted as `forQuarter` does.
   */
  async confidenceGrid(quarter: Quarter): Promise<ConfidenceGrid> {
    const workspaceId = this.tenancy.actor.workspaceId;
    const [weeks, trajectories] = await Promise.all([
      this.checkIns.practiceWeeks(workspaceId, quarter.id, this.clock.now()),
      this.checkIns.confidenceTrajectories(workspaceId, quarter.id),
    ]);
    return {
      quarterId: quarter.id,
      pilotId: quarter.pilotId,
      currentWeek: weeks.current,
      weeksInQuarter: weeks.total,
      confidence: trajectories,
    };
  }

  async forQuarter(quarterId: string): Promise<PracticeSignals> {
    const quarter = await this.pilots.quarter(quarterId);
    const workspaceId = this.tenancy.actor.workspaceId;
    const now = this.clock.now();

    const weeks = await this.checkIns.practiceWeeks(workspaceId, quarter.id, now);
    const rhythm = await this.checkIns.practiceRhythm(workspaceId, quarter.id, weeks.current);
    const overall = rhythm.find((r) => r.total === 1) ?? { due: 0, done: 0 };
    const trajectories = await this.checkIns.confidenceTrajectories(workspaceId, quarter.id);
    const drops = await this.checkIns.confidenceDrops(workspaceId, quarter.id, CONFIDENCE_DROP);
    const still = await this.checkIns.stillKeyResults(workspaceId, quarter.id);
    const scores = await this.okrs.practiceScores(workspaceId, quarter.id);

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
