import { Injectable } from '@nestjs/common';
import type { Level } from '@luotsi/database';
import type { AdkarElement } from '../../surveys';
import { storedLearning } from '../learning/stored-learning';
import { publishLearning } from '../publication/publication-policy';
import { ReportsStore } from '../reports.store';
import { ReadinessStore } from './readiness.store';

/** The question whose mean the trend gate follows; without it, a set's first 0–10 question. */
export const HEADLINE_QUESTION = 'confidence_next_quarter';

/** A learning report a gate's numbers come from. */
export interface EvidenceReport {
  id: string;
  pilotId: string;
  pilotName: string;
  quarterLabel: string;
}

/** Practice and outcome sums, for one pilot's latest report or for all of them together. */
export interface PracticeSums {
  participants: number | null;
  tookPart: number | null;
  participation: number | null;
  invited: number | null;
  responded: number | null;
  responseRate: number | null;
  rhythmDue: number | null;
  rhythmDone: number | null;
  rhythm: number | null;
  committedTotal: number | null;
  committedMet: number | null;
  committedMetShare: number | null;
  aspirationalScored: number | null;
  aspirationalAverage: number | null;
}

export interface AdkarMean {
  element: AdkarElement;
  responses: number;
  mean: number | null;
}

export interface HeadlineTrend {
  question: string | null;
  previousQuarter: string | null;
  previous: number | null;
  latestQuarter: string | null;
  latest: number | null;
  /** latest − previous; null with fewer than two quarters that have a mean. */
  change: number | null;
}

export interface PilotEvidence {
  report: EvidenceReport;
  practice: PracticeSums;
  adkar: AdkarMean[];
  trend: HeadlineTrend;
}

export interface RolloutEvidence {
  /** Each pilot's latest ready learning report, in wave and name order. */
  pilots: PilotEvidence[];
  totals: PracticeSums;
  adkar: AdkarMean[];
}

export interface WaveEvidence {
  /** Distinct people in any pilot of the rollout. */
  participantsInPilots: number;
  largestPilot: number;
  /** Distinct coaches assigned to the rollout's pilots. */
  pilotCoaches: number;
  pilotedLevels: Level[];
}

interface LatestReport {
  report_id: string;
  pilot_id: string;
  pilot_name: string;
  wave_number: number;
  quarter_label: string;
  c: unknown;
}

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** Set-based reads for the readiness report; every sum, rate and mean is computed by Postgres. */
@Injectable()
export class ReadinessEvidence {
  constructor(
    private readonly reports: ReportsStore,
    private readonly store: ReadinessStore,
  ) {}

  async forRollout(workspaceId: string, rolloutId: string): Promise<RolloutEvidence> {
    const stored = await this.reports.latestLearningReports(workspaceId, rolloutId);
    // Read as the coach's view: the readiness report shows only sums over a pilot, but counts the people
    // who checked in from the per-person rhythm.
    const latest: LatestReport[] = stored.map(({ content, built_at, ...report }) => ({
      ...report,
      c: publishLearning(storedLearning({ content, builtAt: built_at }), 'coach'),
    }));
    const json = JSON.stringify(latest);

    const practice = await this.store.practice(json);

    const adkar = await this.store.adkar(json);

    const trends = await this.store.trends(json, HEADLINE_QUESTION);

    const sums = (row: Record<string, unknown> | undefined): PracticeSums => ({
      participants: num(row?.participants),
      tookPart: num(row?.took_part),
      participation: num(row?.participation),
      invited: num(row?.invited),
      responded: num(row?.responded),
      responseRate: num(row?.response_rate),
      rhythmDue: num(row?.rhythm_due),
      rhythmDone: num(row?.rhythm_done),
      rhythm: num(row?.rhythm),
      committedTotal: num(row?.committed_total),
      committedMet: num(row?.committed_met),
      committedMetShare: num(row?.committed_met_share),
      aspirationalScored: num(row?.aspirational_scored),
      aspirationalAverage: num(row?.aspirational_average),
    });
    const means = (reportId: string | null): AdkarMean[] =>
      adkar
        .filter((row) => row.report_id === reportId)
        .map((row) => ({ element: row.element, responses: Number(row.responses), mean: num(row.mean) }));

    return {
      pilots: latest.map((r) => {
        const trend = trends.find((t) => t.report_id === r.report_id);
        return {
          report: { id: r.report_id, pilotId: r.pilot_id, pilotName: r.pilot_name, quarterLabel: r.quarter_label },
          practice: sums(practice.find((row) => row.report_id === r.report_id)),
          adkar: means(r.report_id),
          trend: {
            question: trend?.question ?? null,
            previousQuarter: trend?.previous_quarter ?? null,
            previous: num(trend?.previous),
            latestQuarter: trend?.latest_quarter ?? null,
            latest: num(trend?.latest),
            change: num(trend?.change),
          },
        };
      }),
      totals: sums(latest.length ? practice.find((row) => row.report_id === null) : undefined),
      adkar: means(null),
    };
  }

  async forNextWave(workspaceId: string, rolloutId: string): Promise<WaveEvidence> {
    const row = await this.store.nextWave(workspaceId, rolloutId);
    return {
      participantsInPilots: row.participants_in_pilots,
      largestPilot: row.largest_pilot,
      pilotCoaches: row.pilot_coaches,
      pilotedLevels: row.piloted_levels,
    };
  }
}
