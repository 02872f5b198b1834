import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReportSubject } from './learning-response.sections';

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
  constructor(private readonly dataSource: DataSource) {}

  async subject(workspaceId: string, quarterId: string): Promise<ReportSubject> {
    const [row] = await this.dataSource.query(
      `SELECT q.id, q.number, q.label, q.starts_on::text AS starts_on, q.ends_on::text AS ends_on,
              p.id AS pilot_id, p.name AS pilot_name, p.wave_number, p.levels,
              ro.id AS rollout_id, ro.goal, o.id AS organization_id, o.name AS organization_name,
              r.id AS run_id, r.anonymity, r.min_group_size, r.state AS run_state, r.questions
       FROM quarter q
       JOIN pilot p ON p.id = q.pilot_id
       JOIN rollout ro ON ro.id = p.rollout_id
       JOIN organization o ON o.id = q.organization_id
       LEFT JOIN retrospective r ON r.quarter_id = q.id
       WHERE q.workspace_id = $1 AND q.id = $2`,
      [workspaceId, quarterId],
    );
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
