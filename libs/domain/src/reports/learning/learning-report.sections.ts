import { Injectable } from '@nestjs/common';
import type { ReportSubject } from './learning-response.sections';
import { LearningStore } from './learning.store';

export { aspirationalReading } from './learning-practice.sections';
export type { ReportSubject } from './learning-response.sections';

export interface ObjectiveRefresh {
  objectives: number;
  /** Objectives created in the quarter, or carried in under a new title. */
  newOrRefreshed: number;
}

export interface QuarterConfidence {
  quarterId: string;
  label: string;
  number: number;
  /** The mean answer to the retrospective's confidence question, else the mean check-in confidence. */
  confidence: number | null;
  source: 'retrospective' | 'check_ins' | null;
}

/**
 * The parts of a learning report, each one or two set-based statements: Postgres counts, averages and
 * takes medians; only free text in groups of at least k comes back to Node, as text, for the themes.
 * Every statement names the workspace explicitly (a build runs for the system, not a member). This class
 * reads the report's subject; the sections live with their group: response and questions
 * (`ResponseSections`), practice and comparison (`PracticeSections`), themes and confidence
 * (`ThemeSections`), which the report service calls directly.
 */
@Injectable()
export class LearningReportSections {
  constructor(private readonly store: LearningStore) {}

  async subject(workspaceId: string, quarterId: string): Promise<ReportSubject> {
    const row = await this.store.subject(workspaceId, quarterId);
    if (!row) throw new Error(`Quarter ${quarterId} is gone`);
    return {
      workspaceId,
      organization: { id: row.organization_id, name: row.organization_name },
      rollout: { id: row.rollout_id, goal: row.goal },
      pilot: { id: row.pilot_id, name: row.pilot_name, waveNumber: row.wave_number, levels: row.levels },
      quarter: {
        id: row.id,
        label: row.label,
        number: row.number,
        startsOn: row.starts_on,
        endsOn: row.ends_on,
      },
      run: row.run_id
        ? {
            id: row.run_id,
            anonymity: row.anonymity,
            minGroupSize: row.min_group_size,
            state: row.run_state,
            questions: row.questions,
          }
        : null,
    };
  }
}
