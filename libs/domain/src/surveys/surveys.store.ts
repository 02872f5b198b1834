import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { relation } from '../common/sql';

/** The columns of `question_set` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const QUESTION_SET_ROWS = relation<
  'id' | 'workspace_id' | 'created_at' | 'name' | 'description' | 'questions' | 'based_on' | 'updated_at'
>(
  `(SELECT id, workspace_id, created_at, name, description, questions, based_on, updated_at FROM question_set)`,
);

/** The columns of `retrospective` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const RETROSPECTIVE_ROWS = relation<
  | 'id'
  | 'workspace_id'
  | 'created_at'
  | 'quarter_id'
  | 'pilot_id'
  | 'organization_id'
  | 'question_set_ref'
  | 'questions'
  | 'anonymity'
  | 'min_group_size'
  | 'state'
  | 'opened_at'
  | 'closes_at'
  | 'closed_at'
>(
  `(SELECT id, workspace_id, created_at, quarter_id, pilot_id, organization_id, question_set_ref, questions, anonymity, min_group_size, state, opened_at, closes_at, closed_at FROM retrospective)`,
);

/** The columns of `invitation` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const INVITATION_ROWS = relation<
  | 'id'
  | 'workspace_id'
  | 'created_at'
  | 'retrospective_id'
  | 'participant_id'
  | 'expires_at'
  | 'used'
  | 'level'
  | 'locale'
>(
  `(SELECT id, workspace_id, created_at, retrospective_id, participant_id, expires_at, used, level, locale FROM invitation)`,
);

/** The columns of `invitation_token` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const INVITATION_TOKEN_ROWS = relation<'invitation_id' | 'created_at'>(
  `(SELECT invitation_id, created_at FROM invitation_token)`,
);

/** The columns of `retrospective_response` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const RETROSPECTIVE_RESPONSE_ROWS = relation<
  | 'id'
  | 'workspace_id'
  | 'retrospective_id'
  | 'participant_id'
  | 'level'
  | 'locale'
  | 'answers'
  | 'submitted_on'
>(
  `(SELECT id, workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on FROM retrospective_response)`,
);

/** The columns of `pending_answer` that other features' set-based SQL may read (common/sql.ts, `Relation`). */
export const PENDING_ANSWER_ROWS = relation<
  'id' | 'workspace_id' | 'retrospective_id' | 'level' | 'locale' | 'answers'
>(`(SELECT id, workspace_id, retrospective_id, level, locale, answers FROM pending_answer)`);

/** The surveys' tables: the only code that reads or writes them. */
@Injectable()
export class SurveysStore {
  /**
   * A person's free-text answers in confidential and named runs (anonymous answers carry no participant),
   * read and then removed from those answers, in the caller's transaction; their numeric and choice
   * answers stay, so every count and mean holds.
   */
  async eraseFreeTextAnswers(
    manager: EntityManager,
    workspaceId: string,
    participantId: string,
  ): Promise<string[]> {
    const texts: { text: string }[] = await manager.query(
      `SELECT DISTINCT rr.answers ->> (q ->> 'key') AS text
     FROM retrospective_response rr
     JOIN retrospective r ON r.id = rr.retrospective_id
     CROSS JOIN LATERAL jsonb_array_elements(r.questions) AS q
     WHERE rr.workspace_id = $1 AND rr.participant_id = $2 AND q ->> 'type' = 'free_text'
       AND jsonb_typeof(rr.answers -> (q ->> 'key')) = 'string'`,
      [workspaceId, participantId],
    );
    await manager.query(
      `UPDATE retrospective_response rr
     SET answers = rr.answers - ARRAY(SELECT q ->> 'key' FROM jsonb_array_elements(r.questions) q
                                      WHERE q ->> 'type' = 'free_text')
     FROM retrospective r
     WHERE r.id = rr.retrospective_id AND rr.workspace_id = $1 AND rr.participant_id = $2`,
      [workspaceId, participantId],
    );
    return texts.map((t) => t.text);
  }
}
