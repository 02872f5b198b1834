import type { Client } from 'pg';
import { BUILTIN_QUESTION_SET, newToken, type Question } from '@luotsi/domain';

/** An open anonymous run of the built-in set in the quarter, as the cadence opens one. */
export async function openRun(
  db: Client,
  quarterId: string,
): Promise<{ runId: string; workspaceId: string }> {
  const {
    rows: [run],
  } = await db.query<{ id: string; workspace_id: string }>(
    `INSERT INTO retrospective (workspace_id, quarter_id, pilot_id, organization_id, question_set_ref, questions,
                                anonymity, min_group_size, state, opened_at, closes_at)
     SELECT q.workspace_id, q.id, q.pilot_id, q.organization_id, $2, $3::jsonb, 'anonymous', 5, 'open', now(), q.ends_at
     FROM quarter q WHERE q.id = $1
     RETURNING id, workspace_id`,
    [quarterId, BUILTIN_QUESTION_SET.ref, JSON.stringify(BUILTIN_QUESTION_SET.questions)],
  );
  return { runId: run.id, workspaceId: run.workspace_id };
}

/**
 * Every pilot member invited, with one link each as the invitation mail mints them: the raw tokens come
 * back, only their SHA-256 is stored.
 */
export async function inviteWithLinks(db: Client, runId: string): Promise<string[]> {
  const { rowCount } = await db.query(
    `INSERT INTO invitation (workspace_id, retrospective_id, participant_id, expires_at, level, locale)
     SELECT r.workspace_id, r.id, m.participant_id, r.closes_at, p.level, p.locale
     FROM retrospective r JOIN pilot_membership m ON m.pilot_id = r.pilot_id
     JOIN participant p ON p.id = m.participant_id
     WHERE r.id = $1`,
    [runId],
  );
  const links = Array.from({ length: rowCount ?? 0 }, () => newToken('r'));
  await db.query(
    `INSERT INTO invitation_token (token_hash, invitation_id)
     SELECT t.hash, i.id
     FROM unnest($2::bytea[]) WITH ORDINALITY AS t(hash, n)
     JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM invitation WHERE retrospective_id = $1) i USING (n)`,
    [runId, links.map((link) => link.hash)],
  );
  return links.map((link) => link.token);
}

const TEXTS: Record<'fi' | 'sv' | 'en', string[]> = {
  fi: [
    'Viikkokatsaukset pitivät tavoitteet mielessä.',
    'Avaintulokset olivat liian monet, keskittyminen kärsi.',
    'Tiimin keskustelut paranivat selvästi.',
  ],
  sv: ['Veckoavstämningarna höll fokus.', 'För många nyckelresultat på en gång.', 'Bättre samtal i teamet.'],
  en: [
    'Weekly check-ins kept us focused.',
    'Too many key results at once.',
    'Better conversations in the team.',
  ],
};

/** Form bodies as a phone posts the built-in set: every question answered, in varied ways and languages. */
export function formBodies(count: number): string[] {
  const locales = ['fi', 'fi', 'fi', 'sv', 'en'] as const;
  return Array.from({ length: count }, (_, i) => {
    const lang = locales[i % locales.length];
    const form = new URLSearchParams({ lang });
    BUILTIN_QUESTION_SET.questions.forEach((question: Question, q) => {
      const pick = i + q;
      if (question.type === 'likert5') form.set(question.key, String(1 + (pick % 5)));
      else if (question.type === 'scale10' || question.type === 'nps')
        form.set(question.key, String(pick % 11));
      else if (question.type === 'single_choice')
        form.set(question.key, question.options![pick % question.options!.length].key);
      else form.set(question.key, TEXTS[lang][pick % TEXTS[lang].length]);
    });
    return form.toString();
  });
}
