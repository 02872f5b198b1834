import type {
  AnonymityMode,
  Level,
  Locale,
  ReadinessVerdict,
  RolloutDecisionKind,
} from '@luotsi/database';
import type { PracticeSignals } from '../okrs';
import type { AdkarElement, QuestionType } from '../surveys';

/**
 * The shapes of built reports, as stored in `learning_report.content` and `readiness_report.content`
 * and served by the API. Every number is computed by Postgres when the report is built; rates and
 * means have four decimals; a value that cannot be computed (nothing to count) is null.
 */

/** A count with a rate, e.g. 412 of 800 responded. */
export interface Rate {
  of: number;
  count: number;
  /** count / of; null when `of` is 0. */
  rate: number | null;
}

/** A group too small to show: fewer responses than the run's k. Nothing else about it is given. */
export interface Suppressed {
  suppressed: true;
  /** Why, for the reader: "fewer than k responses". No count is given for a suppressed group. */
  reason: string;
}

export interface LevelResponse extends Rate {
  level: Level;
}

export interface ValueCount {
  /** The answer: a scale point (as a number) or a choice's key. */
  value: number | string;
  count: number;
}

export interface QuestionTrendPoint {
  quarterId: string;
  quarterLabel: string;
  responses: number;
  mean: number | null;
}

export interface QuestionSummary {
  key: string;
  type: QuestionType;
  /** The question's text in each locale. */
  text: Record<Locale, string>;
  responses: number;
  /** For scales and choices: every possible value with its count (zeros included), in order. */
  distribution: ValueCount[];
  mean: number | null;
  median: number | null;
  /** The same question in each of the pilot's quarters up to this one, oldest first. */
  trend: QuestionTrendPoint[];
  /** Per level; a level hidden by the publication policy is `Suppressed`. */
  byLevel: ({ level: Level; responses: number; mean: number | null } | ({ level: Level } & Suppressed))[];
  /** Set when the question had fewer than k answers: no distribution, mean, median or levels. */
  suppressed?: true;
  reason?: string;
}

export interface Nps {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** (promoters − detractors) / responses × 100, rounded to one decimal; null without responses. */
  score: number | null;
}

export interface AdkarSummary {
  element: AdkarElement;
  responses: number;
  mean: number | null;
  /** A mean of 3 or less is a barrier to widening. */
  barrier: boolean;
}

export type AspirationalReading = 'too_safe' | 'healthy' | 'partial' | 'look_closer';

export interface ScoreBands {
  green: number;
  yellow: number;
  red: number;
  unscored: number;
}

export interface Practice extends PracticeSignals {
  scoreBands: ScoreBands;
  /** ≥0.85 too safe, 0.6–0.85 healthy, 0.4–0.6 partial, <0.4 look closer; null when nothing is scored. */
  aspirationalReading: AspirationalReading | null;
}

/** One objective of the quarter and what the planning dialogue said about it and its key results. */
export interface DialogueObjective {
  objectiveId: string;
  title: string;
  /** Every entry on the objective or one of its key results: comments, rewordings, offers to own. */
  entries: number;
  /** Of those, the comments. */
  comments: number;
}

/** The quarter's key results of one side of the dialogue comparison. */
export interface DialogueGroup {
  keyResults: number;
  /** Key results with a final score, and their mean final score (two decimals); null when none. */
  scored: number;
  averageScore: number | null;
  /** Check-ins recorded on the group's key results, per key result (one decimal). */
  checkInsPerKeyResult: number | null;
}

/**
 * Did the OKRs set with more dialogue score or get checked in differently? `discussed`: key results
 * with at least one entry on themselves or on their objective; `notDiscussed`: the others. Shown only
 * when each group holds at least k key results (the report's k); otherwise `withheld`, without figures.
 */
export type DialogueComparison =
  | { k: number; withheld: false; discussed: DialogueGroup; notDiscussed: DialogueGroup }
  | { k: number; withheld: true; reason: string };

/** What the planning dialogue on the quarter's drafts did (`null` when the quarter was not planned in dialogue). */
export interface DialogueSummary {
  /** The pilot's participants; those who wrote at least one entry. */
  participants: number;
  tookPart: number;
  entries: number;
  comments: number;
  rewordings: number;
  offers: number;
  objectives: DialogueObjective[];
  /** Key results whose wording an accepted rewording changed. */
  keyResultsChanged: number;
  /** People who offered to own a draft and were made its owner. */
  ownersVolunteered: number;
  comparison: DialogueComparison;
}

/** One pilot of the rollout, side by side with the others (its latest quarter up to this report's). */
export interface PilotComparison {
  pilotId: string;
  pilotName: string;
  quarterId: string | null;
  quarterLabel: string | null;
  participants: number;
  responseRate: number | null;
  checkInRhythm: number | null;
  nps: number | null;
  committedMet: number | null;
  aspirationalAverage: number | null;
  /** True for the pilot this report is about. */
  self: boolean;
}

/** The themes of one language's answers to one free-text question. */
export interface Theme {
  locale: Locale;
  /** Answers in this language with text; 0 when suppressed (no count under k). */
  responses: number;
  /**
   * `count`: the answers using the word or phrase (an answer counts it once). Words are grouped by
   * their stem in the answers' language and shown in the form most answers wrote.
   */
  terms: { term: string; count: number }[];
  /** Two words next to each other, shown when at least two answers use them. */
  phrases: { phrase: string; count: number }[];
  /** A few representative answers; empty (and `suppressed`) for fewer than k answers. */
  quotes: string[];
  suppressed: boolean;
}

/** The themes of one free-text question of the run, per language of the answers. */
export interface QuestionThemes {
  /** The question's key; null for all free-text questions pooled, in a report built before version 2. */
  key: string | null;
  /** The question's text in each locale; null with `key`. */
  text: Record<Locale, string> | null;
  /** Answers with text to this question; 0 when suppressed. */
  responses: number;
  /** Every locale, in order; a language with fewer than k answers (or none) is suppressed. */
  languages: Theme[];
  /** Fewer than k answers, or no language shown: nothing of the question's free text is shown. */
  suppressed: boolean;
}

export const LEARNING_FLAGS = [
  'no_key_result_movement',
  'no_new_objectives',
  'low_response_rate',
  'confidence_falling',
] as const;
export type LearningFlagCode = (typeof LEARNING_FLAGS)[number];

export interface LearningFlag {
  code: LearningFlagCode;
  /** One sentence for the coach, in English. */
  message: string;
  /** The numbers the flag was raised on. */
  numbers: Record<string, number | string | null>;
}

export interface LearningReportContent {
  /** 2 since themes are per question; a stored version 1 is read as 2 (`storedLearning`). */
  version: 2;
  builtAt: string;
  organization: { id: string; name: string };
  rollout: { id: string; goal: string };
  pilot: { id: string; name: string; waveNumber: number; levels: Level[] };
  quarter: { id: string; label: string; number: number; startsOn: string; endsOn: string };
  retrospective: { id: string; anonymity: AnonymityMode; minGroupSize: number; state: string } | null;
  response: Rate & { byLevel: (LevelResponse | ({ level: Level } & Suppressed))[] };
  questions: QuestionSummary[];
  nps: Nps | null;
  adkar: AdkarSummary[];
  practice: Practice;
  comparison: PilotComparison[];
  /** Per free-text question; a sponsor's view drops every language (and question) not shown. */
  themes: QuestionThemes[];
  flags: LearningFlag[];
  /** The planning dialogue that set the quarter's OKRs; null without one, absent in reports built before it. */
  dialogue?: DialogueSummary | null;
}

export const READINESS_GATES = [
  'participation',
  'response_rate',
  'checkin_rhythm',
  'outcome_health',
  'people_readiness',
  'trend',
  'capacity',
] as const;
export type ReadinessGateKey = (typeof READINESS_GATES)[number];

export interface ReadinessGate {
  key: ReadinessGateKey;
  passed: boolean;
  /** One sentence: what was measured against what. */
  summary: string;
  /** The numbers the gate used, and the thresholds it compared them with. */
  numbers: Record<string, number | string | null>;
  thresholds: Record<string, number>;
  /** The learning reports the numbers come from. */
  learningReports: { id: string; pilotId: string; pilotName: string; quarterLabel: string }[];
  /** The same numbers for each pilot's latest report, where the gate reads the learning reports. */
  byPilot?: {
    pilotId: string;
    pilotName: string;
    quarterLabel: string;
    numbers: Record<string, number | string | null>;
  }[];
}

export interface NextWave {
  size: number;
  levels: Level[];
  coachesNeeded: number;
  startQuarter: string;
  /** Levels of the organization no pilot has had yet. */
  newLevels: Level[];
  /** What the size and coaches were worked out from. */
  basis: {
    targetHeadcount: number;
    participantsInPilots: number;
    remainingHeadcount: number;
    largestPilot: number;
    waveSizeFactor: number;
    participantsPerCoachMax: number;
  };
}

export interface ReadinessReportContent {
  version: 1;
  builtAt: string;
  organization: { id: string; name: string; headcount: number };
  rollout: { id: string; goal: string; targetHeadcount: number; plannedWaves: number; status: string };
  thresholds: Record<string, number>;
  gates: ReadinessGate[];
  verdict: ReadinessVerdict;
  /** Why the verdict: the failing gates by key. */
  conditions: ReadinessGateKey[];
  nextWave: NextWave;
}

export interface RolloutDecisionView {
  id: string;
  readinessReportId: string;
  decision: RolloutDecisionKind;
  reason: string;
  decidedBy: { id: string; name: string } | null;
  decidedAt: string;
}
