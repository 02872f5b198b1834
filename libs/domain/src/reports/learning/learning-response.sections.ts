import { Injectable } from '@nestjs/common';
import { LEVELS, type AnonymityMode, type Level } from '@luotsi/database';
import { ADKAR_ELEMENTS, SCALE_RANGES, type Question } from '../../surveys';
import type {
  AdkarSummary,
  LearningReportContent,
  Nps,
  QuestionSummary,
  ValueCount,
} from '../report-content';
import { runPublishable } from '../publication/publication-policy';
import { LearningStore } from './learning.store';

/** What a report is about, read once at the start of a build. */
export interface ReportSubject {
  workspaceId: string;
  organization: { id: string; name: string };
  rollout: { id: string; goal: string };
  pilot: { id: string; name: string; waveNumber: number; levels: Level[] };
  quarter: { id: string; label: string; number: number; startsOn: string; endsOn: string };
  run: {
    id: string;
    anonymity: AnonymityMode;
    minGroupSize: number;
    state: string;
    questions: Question[];
  } | null;
}

const levelOrder = (levels: Iterable<Level>): Level[] => {
  const present = new Set(levels);
  return LEVELS.filter((level) => present.has(level));
};

const isScale = (question: Question): question is Question & { type: keyof typeof SCALE_RANGES } =>
  question.type in SCALE_RANGES;

/**
 * The sections from the run's answers: who responded, each question's figures and trend, NPS and ADKAR.
 * Raw, as Postgres aggregates them: the publication policy decides what is shown.
 */
@Injectable()
export class ResponseSections {
  constructor(private readonly store: LearningStore) {}

  /**
   * Invited and answered, overall and per level, from the run's invitations: the level frozen on each
   * when the run opened, and its `used` flag (which also counts anonymous answers still waiting to be
   * moved into the run's answers). Raw: the publication policy decides which levels are shown.
   */
  async response(subject: ReportSubject): Promise<LearningReportContent['response']> {
    const run = subject.run;
    if (!run) return { of: 0, count: 0, rate: null, byLevel: [] };
    const rows = await this.store.response(subject.workspaceId, run.id);
    const overall = rows.find((row) => row.total === 1);
    const levels = levelOrder([
      ...subject.pilot.levels,
      ...rows.filter((row) => row.total === 0 && row.level).map((row) => row.level as Level),
    ]);
    return {
      of: overall?.invited ?? 0,
      count: overall?.responded ?? 0,
      rate: overall?.rate ?? null,
      byLevel: levels.map((level) => {
        const row = rows.find((r) => r.total === 0 && r.level === level);
        return { level, of: row?.invited ?? 0, count: row?.responded ?? 0, rate: row?.rate ?? null };
      }),
    };
  }

  /** Per question: distribution over every possible answer, mean, median, per level, and the trend. */
  async questions(subject: ReportSubject, levels: Level[]): Promise<QuestionSummary[]> {
    const run = subject.run;
    if (!run) return [];
    const defs = JSON.stringify(run.questions.map((q) => ({ key: q.key, type: q.type })));
    // The answers are read once for both: each question's count, mean and median, overall and per
    // level; and how often each value was chosen (matching every scale point against every answer
    // instead would read the answers once per point).
    const stats = await this.store.questionStats(subject.workspaceId, run.id, defs);
    const tallies = stats.filter((s) => s.total === null);
    // Every point of a scale and every option, so a value nobody chose shows as 0.
    const distributionOf = (question: Question): ValueCount[] => {
      const tally = tallies.filter((t) => t.key === question.key);
      const count = (matches: (t: (typeof tally)[number]) => boolean) =>
        tally.filter(matches).reduce((sum, t) => sum + t.responses, 0);
      return isScale(question)
        ? range(SCALE_RANGES[question.type].min, SCALE_RANGES[question.type].max).map((value) => ({
            value,
            count: count((t) => t.value !== null && Number(t.value) === value),
          }))
        : (question.options ?? []).map((option) => ({
            value: option.key,
            count: count((t) => t.choice === option.key),
          }));
    };

    // The same key with the same type in each run of the pilot up to this quarter.
    const trend = await this.store.questionTrend(subject.workspaceId, subject.pilot.id, subject.quarter.number, defs);

    return run.questions.map((question): QuestionSummary => {
      const overall = stats.find((s) => s.key === question.key && s.total === 1);
      const distribution = distributionOf(question);
      return {
        key: question.key,
        type: question.type,
        text: { fi: question.text.fi, sv: question.text.sv, en: question.text.en },
        responses: overall?.responses ?? 0,
        distribution,
        mean: overall?.mean ?? null,
        median: overall?.median ?? null,
        // Each quarter's run is its own group, published by its own rules.
        trend: trend
          .filter((t) => t.key === question.key && runPublishable(t, t.responses))
          .map(({ quarterId, quarterLabel, responses, mean }) => ({ quarterId, quarterLabel, responses, mean })),
        byLevel: levels.map((level) => {
          const row = stats.find((s) => s.key === question.key && s.total === 0 && s.level === level);
          return { level, responses: row?.responses ?? 0, mean: row?.mean ?? null };
        }),
      };
    });
  }

  /** The standard NPS of the run's first 0–10 recommendation question: % promoters (9–10) − % detractors (0–6). */
  async nps(subject: ReportSubject): Promise<Nps | null> {
    const question = subject.run?.questions.find((q) => q.type === 'nps');
    if (!subject.run || !question) return null;
    return this.store.nps(subject.workspaceId, subject.run.id, question.key);
  }

  /** The mean 1–5 rating per ADKAR element the run asked about; 3 or less is a barrier. */
  async adkar(subject: ReportSubject): Promise<AdkarSummary[]> {
    const asked = subject.run?.questions.filter((q) => q.adkar) ?? [];
    if (!subject.run || !asked.length) return [];
    const rows = await this.store.adkar(
      subject.workspaceId,
      subject.run.id,
      JSON.stringify(asked.map((q) => ({ key: q.key, type: q.type, element: q.adkar }))),
    );
    return ADKAR_ELEMENTS.flatMap((element) => {
      const row = rows.find((r) => r.element === element);
      return row ? [{ element, responses: row.responses, mean: row.mean, barrier: row.barrier }] : [];
    });
  }
}

function range(min: number, max: number): number[] {
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}
