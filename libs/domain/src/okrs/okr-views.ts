import type { KeyResult, KeyResultKind, KeyResultMeasure, Level, Objective } from '@luotsi/database';
import { Band, colourBand, objectiveProgress, progress, QualityHint, qualityHints } from './okr-rules';

/** Where an objective or a key result belongs. */
interface Placement {
  quarterId: string;
  pilotId: string;
  organizationId: string;
}

/** A key result's own state in the API's names (`start` for the column `startValue`, and so on). */
export interface KeyResultState {
  title: string;
  kind: KeyResultKind;
  measure: KeyResultMeasure;
  start: number | null;
  target: number | null;
  unit: string;
  current: number | null;
  done: boolean;
  confidence: number | null;
}

export interface KeyResultView extends Placement, KeyResultState {
  id: string;
  objectiveId: string;
  ownerId: string | null;
  recordedAt: Date | null;
  finalScore: number | null;
  scoredAt: Date | null;
  position: number;
  /** 0..1, from start, target and current (or done). */
  progress: number;
  /** The band of the final score, or of progress until it is scored. */
  band: Band | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ObjectiveView extends Placement {
  id: string;
  title: string;
  description: string;
  ownerId: string | null;
  level: Level | null;
  position: number;
  carriedFromId: string | null;
  /** The mean of the key results' final scores; null until one is scored. */
  finalScore: number | null;
  /** The mean progress of the key results; null without any. */
  progress: number | null;
  band: Band | null;
  hints: QualityHint[];
  keyResults: KeyResultView[];
  createdAt: Date;
  updatedAt: Date;
}

/** A key result after a change, with what the change did to its objective. */
export interface KeyResultResult extends KeyResultView {
  objectiveScore: number | null;
  /** The objective's quality hints (warnings, never errors). */
  hints: QualityHint[];
}

const placement = ({ quarterId, pilotId, organizationId }: Placement): Placement => ({
  quarterId,
  pilotId,
  organizationId,
});

export const keyResultState = (kr: KeyResult): KeyResultState => ({
  title: kr.title,
  kind: kr.kind,
  measure: kr.measure,
  start: kr.startValue,
  target: kr.targetValue,
  unit: kr.unit,
  current: kr.currentValue,
  done: kr.done,
  confidence: kr.confidence,
});

export function keyResultView(kr: KeyResult): KeyResultView {
  const share = progress(kr);
  return {
    id: kr.id,
    objectiveId: kr.objectiveId,
    ...placement(kr),
    ...keyResultState(kr),
    ownerId: kr.ownerId,
    recordedAt: kr.recordedAt,
    finalScore: kr.finalScore,
    scoredAt: kr.scoredAt,
    position: kr.position,
    progress: share,
    band: colourBand(kr.finalScore ?? share),
    createdAt: kr.createdAt,
    updatedAt: kr.updatedAt,
  };
}

export function objectiveView(objective: Objective, keyResults: KeyResult[]): ObjectiveView {
  const share = objectiveProgress(keyResults);
  return {
    id: objective.id,
    ...placement(objective),
    title: objective.title,
    description: objective.description,
    ownerId: objective.ownerId,
    level: objective.level,
    position: objective.position,
    carriedFromId: objective.carriedFromId,
    finalScore: objective.finalScore,
    progress: share,
    band: colourBand(objective.finalScore ?? share),
    hints: qualityHints({ keyResults }),
    keyResults: keyResults.map(keyResultView),
    createdAt: objective.createdAt,
    updatedAt: objective.updatedAt,
  };
}
