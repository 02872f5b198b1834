import type { TestApi } from './api';
import { bearer, createOrganization, createPilot, createRollout, signUp, Workspace } from './fixtures';
import { waitFor } from './processes';
import type { TestSmtpServer } from './smtp';
import type { TestWorker } from './worker';

/** A participant of the seeded pilot: who they are and the free text they answer with. */
export interface SeededPerson {
  id: string;
  name: string;
  email: string;
  /** Their answer to every free-text question of the run. */
  text: string;
}

export interface CoachedQuarter {
  owner: Workspace;
  organizationId: string;
  rolloutId: string;
  pilotId: string;
  quarterId: string;
  retrospectiveId: string;
  objectiveId: string;
  keyResultIds: string[];
  people: SeededPerson[];
  learningReportId: string;
  readinessReportId: string;
}

/** The participant link in a mail, as the app writes it with `PUBLIC_BASE_URL=http://luotsi.test`. */
export const RETROSPECTIVE_LINK = /http:\/\/luotsi\.test(\/r\/r_[A-Za-z0-9_-]{43})/;

/** A complete answer for a run's questions, as the form posts it; `text` for every free-text question. */
export function formAnswers(
  questions: { key: string; type: string; options?: { key: string }[] }[],
  text: string,
): Record<string, string> {
  return Object.fromEntries(
    questions.map((q) => [
      q.key,
      q.type === 'likert5'
        ? '4'
        : q.type === 'single_choice'
          ? q.options![0].key
          : q.type === 'free_text'
            ? text
            : '7',
    ]),
  );
}

/**
 * One pilot quarter gone through as a coach and its people would: a running pilot of `people` (staff,
 * English, UTC), OKRs owned by the first two with weekly check-ins, a confidential retrospective that
 * everyone answers through the emailed link, closed; its learning report and the rollout's readiness
 * report built by the worker. Needs the worker and the SMTP server of the test, the clock two weeks or
 * so before the end of 2027-Q1, and `PUBLIC_BASE_URL=http://luotsi.test`.
 */
export async function seedCoachedQuarter(
  ctx: { api: TestApi; worker: TestWorker; smtp: TestSmtpServer },
  people: Omit<SeededPerson, 'id'>[],
  hooks: {
    /** After the invitations went out, before anyone answers (e.g. to make a reminder fail). */
    beforeAnswers?: (seeded: Pick<CoachedQuarter, 'owner' | 'retrospectiveId'>) => Promise<void>;
  } = {},
): Promise<CoachedQuarter> {
  const { api, worker, smtp } = ctx;
  const owner = await signUp(api.http);
  const auth = bearer(owner.token);
  const organization = await createOrganization(api.http, owner.token, { timeZone: 'UTC' });
  const rollout = await createRollout(api.http, owner.token, organization.id);
  const pilot = await createPilot(api.http, owner.token, rollout.id, {
    levels: ['staff'],
    startQuarter: '2027-Q1',
  });
  const seeded: SeededPerson[] = [];
  for (const person of people) {
    const created = await api.http
      .post(`/api/v1/pilots/${pilot.id}/participants`)
      .set(auth)
      .send({ email: person.email, name: person.name, locale: 'en', level: 'staff', timeZone: 'UTC' })
      .expect(201);
    seeded.push({ ...person, id: created.body.id });
  }
  const started = await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
  const quarterId: string = started.body.currentQuarter.id;

  // OKRs owned by people, with check-ins of theirs over the weeks the cadence asked for them.
  const objective = (
    await api.http
      .post(`/api/v1/quarters/${quarterId}/objectives`)
      .set(auth)
      .send({
        title: 'Customers hear back within a day',
        ownerId: seeded[0].id,
        keyResults: [
          { title: 'Reply time 4 → 1 days', measure: 'metric', start: 4, target: 1, ownerId: seeded[0].id },
          { title: 'Reply templates in use', kind: 'aspirational', measure: 'binary', ownerId: seeded[1].id },
        ],
      })
      .expect(201)
  ).body;
  const keyResultIds: string[] = objective.keyResults.map((kr: { id: string }) => kr.id);
  await api.db.query(
    `INSERT INTO cadence_dispatch (workspace_id, quarter_id, step_key, kind, step_date)
     SELECT $1, q.id, 'checkin-w' || w, 'checkin_request', q.starts_on + 7 * (w - 1)
     FROM quarter q CROSS JOIN generate_series(1, 10) AS w WHERE q.id = $2
     ON CONFLICT DO NOTHING`,
    [owner.id, quarterId],
  );
  await api.db.query(
    `INSERT INTO check_in (workspace_id, organization_id, quarter_id, key_result_id, participant_id, week,
                           current_value, done, confidence, note, recorded_on)
     SELECT $1, $2, $3, x.kr, x.p, x.week, x.value, x.done, x.confidence, x.note, '2027-03-01'
     FROM jsonb_to_recordset($4::jsonb) AS x(kr uuid, p uuid, week int, value numeric, done boolean, confidence int, note text)`,
    [
      owner.id,
      organization.id,
      quarterId,
      JSON.stringify([
        { kr: keyResultIds[0], p: seeded[0].id, week: 2, value: 3, confidence: 7, note: 'On track' },
        { kr: keyResultIds[0], p: seeded[0].id, week: 4, value: 2, confidence: 4, note: 'Holidays' },
        { kr: keyResultIds[1], p: seeded[1].id, week: 3, done: false, confidence: 6, note: '' },
      ]),
    ],
  );

  // The confidential retrospective (opened before the cadence's own step would open one): the kickoff
  // and the invitations by mail, every answer through its link, then the close.
  const before = smtp.received.length;
  const run = (
    await api.http
      .post(`/api/v1/quarters/${quarterId}/retrospectives`)
      .set(auth)
      .send({ anonymity: 'confidential' })
      .expect(201)
  ).body;
  await worker.tickAndDrain();
  const links = new Map<string, string>();
  for (const mail of smtp.received.slice(before)) {
    const link = RETROSPECTIVE_LINK.exec(mail.text)?.[1];
    if (link) links.set(mail.to, link);
  }
  await hooks.beforeAnswers?.({ owner, retrospectiveId: run.id });
  for (const person of seeded) {
    const link = links.get(person.email.toLowerCase());
    if (!link) throw new Error(`no retrospective link reached ${person.email}`);
    await api.http.post(link).type('form').send(formAnswers(run.questions, person.text)).expect(200);
  }
  await api.http.post(`/api/v1/retrospectives/${run.id}/close`).set(auth).expect(200);

  // The close asked for the learning report; the worker builds it. Then the readiness report.
  const ready = (table: string, where: string, value: string) =>
    waitFor(
      async () =>
        (await api.db.query(`SELECT status FROM ${table} WHERE ${where} = $1`, [value]))[0]?.status ===
        'ready',
      30_000,
      () => `${table} of ${value} not built`,
    );
  await ready('learning_report', 'quarter_id', quarterId);
  const [learning] = await api.db.query(`SELECT id FROM learning_report WHERE quarter_id = $1`, [quarterId]);
  const readiness = await api.http
    .post(`/api/v1/rollouts/${rollout.id}/readiness-report`)
    .set(auth)
    .expect(202);
  await ready('readiness_report', 'id', readiness.body.id);

  return {
    owner,
    organizationId: organization.id,
    rolloutId: rollout.id,
    pilotId: pilot.id,
    quarterId,
    retrospectiveId: run.id,
    objectiveId: objective.id,
    keyResultIds,
    people: seeded,
    learningReportId: learning.id,
    readinessReportId: readiness.body.id,
  };
}
