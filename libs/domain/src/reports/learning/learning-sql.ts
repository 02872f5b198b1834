/**
 * SQL fragments the learning report's sections share. Each returns text for a statement; the values
 * are bound as parameters by the statements themselves.
 */

export const NUMERIC = `('likert5', 'scale10', 'nps')`;

/** Whether `answers` answers question `key` of `type`: a number, an option key, or a non-blank text. */
export const answered = (answers: string, key: string, type: string) =>
  `(CASE ${type}
      WHEN 'free_text' THEN jsonb_typeof(${answers} -> ${key}) = 'string' AND btrim(${answers} ->> ${key}) <> ''
      WHEN 'single_choice' THEN jsonb_typeof(${answers} -> ${key}) = 'string'
      ELSE jsonb_typeof(${answers} -> ${key}) = 'number' END)`;

/** The numeric answer; null for unanswered and for the types that are not scales. */
export const numericAnswer = (answers: string, key: string, type: string) =>
  `(CASE WHEN ${type} IN ${NUMERIC} AND jsonb_typeof(${answers} -> ${key}) = 'number'
         THEN (${answers} ->> ${key})::numeric END)`;

/** Rates carry four decimals, rounded by Postgres (half away from zero). */
export const round4 = (expression: string) => `round((${expression})::numeric, 4)::float8`;
/** Means of answers carry one decimal: all a reader needs, and no more to subtract with. */
export const round1 = (expression: string) => `round((${expression})::numeric, 1)::float8`;
