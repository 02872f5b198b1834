import type { Client } from 'pg';
import { BUILTIN_QUESTION_SET, SCALE_RANGES, type Question } from '@luotsi/domain';

/**
 * Twelve questions of the built-in set, every type among them: three process statements, confidence,
 * the recommendation, the five ADKAR statements, one single choice and one free text.
 */
const KEYS = [
  'okrs_guided_priorities',
  'checkins_worth_time',
  'understood_alignment',
  'confidence_next_quarter',
  'recommend_okrs',
  'adkar_awareness',
  'adkar_desire',
  'adkar_knowledge',
  'adkar_ability',
  'adkar_reinforcement',
  'review_frequency',
  'what_worked',
];

export const REPORT_QUESTIONS: Question[] = BUILTIN_QUESTION_SET.questions.filter((q) =>
  KEYS.includes(q.key),
);

/** Who answers each quarter and how the mood goes: confidence dips in the second quarter, then recovers. */
const QUARTERS = [
  { answering: 0.74, mood: 0 },
  { answering: 0.66, mood: -0.4 },
  { answering: 0.7, mood: 0.1 },
  { answering: 0.77, mood: 0.3 },
];

const SUBJECTS: Record<'fi' | 'sv' | 'en', string[]> = {
  fi: [
    'Viikkokatsaukset',
    'Avaintulokset',
    'Tiimin keskustelut',
    'Yhteiset tavoitteet',
    'Valmentajan tuki',
    'Neljännesten suunnittelu',
  ],
  sv: [
    'Veckoavstämningarna',
    'Nyckelresultaten',
    'Samtalen i teamet',
    'De gemensamma målen',
    'Coachens stöd',
    'Kvartalsplaneringen',
  ],
  en: [
    'Weekly check-ins',
    'Key results',
    'Team conversations',
    'Shared objectives',
    'Coaching support',
    'Quarter planning',
  ],
};
const PREDICATES: Record<'fi' | 'sv' | 'en', string[]> = {
  fi: [
    'auttoivat keskittymään olennaiseen.',
    'selkeyttivät prioriteetteja.',
    'veivät välillä liikaa aikaa.',
    'paranivat neljänneksen aikana.',
  ],
  sv: [
    'hjälpte oss att fokusera.',
    'gjorde prioriteringarna tydligare.',
    'tog ibland för mycket tid.',
    'blev bättre under kvartalet.',
  ],
  en: [
    'helped us focus on what matters.',
    'made priorities clearer.',
    'sometimes took too much time.',
    'got better during the quarter.',
  ],
};
const sentences = (locale: 'fi' | 'sv' | 'en') =>
  SUBJECTS[locale].flatMap((subject) => PREDICATES[locale].map((predicate) => `${subject} ${predicate}`));

/** A rating around `centre` (moved by the quarter's mood, $4), clamped to the scale. */
const rating = (min: number, max: number, centre: number, spread: number) =>
  `least(${max}, greatest(${min}, round(${centre} + $4::float8 * ${(max - min) / 4} + (random() + random() + random() - 1.5) * ${spread})))::int`;

/** The SQL for one question's answer of one person; NULL (left out) now and then where not required. */
function answer(question: Question): string {
  const skip = (sql: string, share: number) =>
    question.required ? sql : `CASE WHEN random() < ${share} THEN NULL ELSE ${sql} END`;
  switch (question.type) {
    case 'likert5':
      return skip(rating(1, 5, 3.6, 1.5), 0.06);
    case 'scale10':
      return skip(rating(SCALE_RANGES.scale10.min, SCALE_RANGES.scale10.max, 6.8, 3.2), 0.05);
    case 'nps':
      return skip(rating(SCALE_RANGES.nps.min, SCALE_RANGES.nps.max, 7.3, 4), 0.05);
    case 'single_choice': {
      const options = (question.options ?? []).map((option) => `'${option.key}'`).join(', ');
      return skip(
        `(ARRAY[${options}])[1 + floor(power(random(), 1.6) * ${question.options!.length})::int]`,
        0.1,
      );
    }
    case 'free_text':
      return `CASE WHEN random() < 0.45 THEN
                (CASE m.locale WHEN 'fi' THEN $5::text[] WHEN 'sv' THEN $6::text[] ELSE $7::text[] END)[1 + floor(random() * ${sentences('fi').length})::int]
              END`;
  }
}

/**
 * Each quarter's closed anonymous retrospective of the pilot, set-based: the run with the question set's
 * snapshot, every member invited (`used` where they answered) and the answers, sealed as a close leaves
 * them (no participant, only the day, random order). Quarters are the pilot's, oldest first.
 */
export async function seedRetrospectives(
  db: Client,
  pilotId: string,
  questionSet: { id: string; questions: Question[] },
  quarterIds: string[],
): Promise<string[]> {
  const answers = `jsonb_strip_nulls(jsonb_build_object(${questionSet.questions
    .map((q) => `'${q.key}', ${answer(q)}`)
    .join(', ')}))`;
  const runs: string[] = [];
  for (const [i, quarterId] of quarterIds.entries()) {
    const { answering, mood } = QUARTERS[i % QUARTERS.length];
    const {
      rows: [run],
    } = await db.query<{ id: string }>(
      `WITH run AS (
         INSERT INTO retrospective (workspace_id, quarter_id, pilot_id, organization_id, question_set_ref, questions,
                                    anonymity, min_group_size, state, opened_at, closes_at, closed_at)
         SELECT q.workspace_id, q.id, q.pilot_id, q.organization_id, $2, $3::jsonb, 'anonymous', 5, 'closed',
                q.ends_at - interval '14 days', q.ends_at, q.ends_at
         FROM quarter q WHERE q.id = $1
         RETURNING id, workspace_id, closes_at),
       m AS MATERIALIZED (
         SELECT m.participant_id, p.level, p.locale, random() < $8 AS answered
         FROM pilot_membership m JOIN participant p ON p.id = m.participant_id
         WHERE m.pilot_id = $9),
       invited AS (
         INSERT INTO invitation (workspace_id, retrospective_id, participant_id, expires_at, used, level, locale)
         SELECT run.workspace_id, run.id, m.participant_id, run.closes_at, m.answered, m.level, m.locale
         FROM run, m ORDER BY random()),
       answered AS (
         INSERT INTO retrospective_response (workspace_id, retrospective_id, participant_id, level, locale, answers, submitted_on)
         SELECT run.workspace_id, run.id, NULL, m.level, m.locale, ${answers},
                (run.closes_at - random() * interval '13 days')::date
         FROM run, m WHERE m.answered ORDER BY random())
       SELECT id FROM run`,
      [
        quarterId,
        questionSet.id,
        JSON.stringify(questionSet.questions),
        mood,
        sentences('fi'),
        sentences('sv'),
        sentences('en'),
        answering,
        pilotId,
      ],
    );
    runs.push(run.id);
  }
  return runs;
}
