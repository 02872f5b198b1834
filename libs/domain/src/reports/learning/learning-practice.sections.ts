import { Injectable } from '@nestjs/common';
import type {
  AspirationalReading,
  DialogueGroup,
  DialogueSummary,
  PilotComparison,
  ScoreBands,
} from '../report-content';
import { effectiveK, runPublishable } from '../publication/publication-policy';
import type { ObjectiveRefresh, ReportSubject } from './learning-report.sections';
import { LearningStore } from './learning.store';

export const aspirationalReading = (average: number | null): AspirationalReading | null =>
  average === null
    ? null
    : average >= 0.85
      ? 'too_safe'
      : average >= 0.6
        ? 'healthy'
        : average >= 0.4
          ? 'partial'
          : 'look_closer';

/** What the comparison reads of a quarter's practice signals. */
export interface ComparedPractice {
  rhythm: { share: number | null };
  committed: { share: number | null };
  aspirational: { average: number | null };
}

/** The sections of OKR practice: score bands, the pilots side by side, and how objectives were refreshed. */
@Injectable()
export class PracticeSections {
  constructor(private readonly store: LearningStore) {}

  /** Final scores of the quarter's key results in colour bands: ≥ 0.7 green, ≥ 0.4 yellow, below red. */
  async scoreBands(subject: ReportSubject): Promise<ScoreBands> {
    return this.store.scoreBands(subject.workspaceId, subject.quarter.id);
  }

  /**
   * Every pilot of the rollout with its latest quarter up to this report's (by calendar label; a quarter
   * not yet begun is skipped), side by side. Practice numbers come from each quarter's practice signals.
   */
  async comparison(
    subject: ReportSubject,
    practiceOf: (quarterId: string) => Promise<ComparedPractice>,
  ): Promise<PilotComparison[]> {
    const rows = await this.store.comparison(
      subject.workspaceId,
      subject.rollout.id,
      subject.quarter.label,
      subject.quarter.id,
    );
    const comparisons: PilotComparison[] = [];
    for (const row of rows) {
      const practice = row.quarter_id ? await practiceOf(row.quarter_id) : null;
      comparisons.push({
        pilotId: row.pilot_id,
        pilotName: row.name,
        quarterId: row.quarter_id,
        quarterLabel: row.label,
        participants: row.participants,
        responseRate: row.response_rate,
        checkInRhythm: practice?.rhythm.share ?? null,
        // Each pilot's NPS by its own run's rules: after close (anonymous, confidential), from k answers.
        nps:
          row.anonymity &&
          runPublishable(
            { anonymity: row.anonymity, state: row.state!, minGroupSize: row.min_group_size! },
            row.nps_responses ?? 0,
          )
            ? row.nps
            : null,
        committedMet: practice?.committed.share ?? null,
        aspirationalAverage: practice?.aspirational.average ?? null,
        self: row.pilot_id === subject.pilot.id,
      });
    }
    return comparisons;
  }

  /**
   * What the planning dialogue on the quarter's drafts did; null when the quarter was not planned in
   * dialogue. The comparison carries both groups' figures here; the publication policy withholds them
   * when a group holds fewer than k key results (`publishLearning`).
   */
  async dialogue(subject: ReportSubject): Promise<DialogueSummary | null> {
    const { workspaceId } = subject;
    const summary = await this.store.dialogue(workspaceId, subject.quarter.id, subject.pilot.id);
    if (!summary.planned) return null;
    const [objectives, groups] = await Promise.all([
      this.store.dialogueObjectives(workspaceId, subject.quarter.id),
      this.store.dialogueGroups(workspaceId, subject.quarter.id),
    ]);
    const group = (discussed: boolean): DialogueGroup => {
      const row = groups.find((g) => g.discussed === discussed);
      return {
        keyResults: row?.keyResults ?? 0,
        scored: row?.scored ?? 0,
        averageScore: row?.averageScore ?? null,
        checkInsPerKeyResult: row?.checkInsPerKeyResult ?? null,
      };
    };
    const { planned: _planned, ...counts } = summary;
    return {
      ...counts,
      objectives,
      comparison: {
        k: effectiveK(subject.run?.minGroupSize),
        withheld: false,
        discussed: group(true),
        notDiscussed: group(false),
      },
    };
  }

  /** How many of the quarter's objectives are new, or carried over under a new title. */
  async objectiveRefresh(subject: ReportSubject): Promise<ObjectiveRefresh> {
    return this.store.objectiveRefresh(subject.workspaceId, subject.quarter.id);
  }
}
