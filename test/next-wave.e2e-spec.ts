import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { CoachedQuarter, seedCoachedQuarter } from './support/coached-quarter';
import { ConsoleClient } from './support/console';
import { addMember, bearer, PASSWORD } from './support/fixtures';
import { waitFor } from './support/processes';
import { startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const PEOPLE = ['Aino Aalto', 'Bertil Berg', 'Cecilia Carlsson', 'Daniel Dahl', 'Eeva Eskola'].map(
  (name) => ({
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}@wave-one.example`,
    text: `${name.split(' ')[0]} liked the short weekly check-ins`,
  }),
);
const MARKED = 'Keep the weekly check-in under ten minutes: longer ones were skipped.';
const UNMARKED = 'The board wanted fewer objectives than we proposed.';
/** Marked in the console, then unmarked: no longer a lesson for the next wave. */
const TAKEN_BACK = 'Mid-quarter prompts went unread in the summer.';
/** The intro of the lessons' section of the kickoff, in English and Finnish. */
const LESSONS_EN = 'Lessons from the previous wave.';
const LESSONS_FI = 'Edellisen aallon opit.';

/** The items of the list that follows the lessons' intro in a mail's HTML; null without the section. */
function lessonsIn(html: string, intro: string): string[] | null {
  const at = html.indexOf(intro);
  if (at < 0) return null;
  const list = /<ul[^>]*>([\s\S]*?)<\/ul>/.exec(html.slice(at))?.[1] ?? '';
  return [...list.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((m) => m[1].trim());
}

/**
 * The proposal as the readiness report's rules make it, worked out by hand for the seeded rollout: a
 * target of 8000 people with 5 in the only pilot, at most 3 (the default wave size factor) times the
 * largest pilot: min(8000 − 5, 3 × 5) = 15; the piloted level (staff), then the public sector's levels
 * not yet piloted (board, management); the quarter after the reported 2027-Q1.
 */
const PROPOSAL = { size: 15, levels: ['staff', 'board', 'management'], startQuarter: '2027-Q2' };

/**
 * The next wave from the last, on the test clock over real SMTP: a first-wave pilot through its quarter
 * to a readiness report; two lessons noted, one marked for the next wave; a go; the next wave created
 * from the proposal, once; its kickoff carries the marked lesson only; the audit log links the decision,
 * the wave and the pilot; a stop closes the rollout.
 */
describe('the next wave from the last', () => {
  const clock = new ManualClock(new Date('2027-03-17T10:00:00Z'));
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let seeded: CoachedQuarter;
  let auth: { Authorization: string };
  let sponsor: { id: string; email: string; token: string };
  let coach: { id: string };
  let pilotPlan: { inherited: boolean; steps: unknown[] };
  let plan: { steps: { key: string; kind: string }[] };
  let notes: { marked: string; unmarked: string };
  let go: { id: string };
  let wave: { waveNumber: number; decisionId: string; pilots: Record<string, unknown>[] };

  const env = {
    SMTP_URL: '',
    PUBLIC_BASE_URL: 'http://luotsi.test',
    MAIL_RETRY_BASE_MS: '10',
    PARTICIPANT_PAGE_RATE_PER_MINUTE: '100000',
  };
  const nextWave = (reportId: string, body: object = {}, token?: string) =>
    api.http
      .post(`/api/v1/readiness-reports/${reportId}/next-wave`)
      .set(token ? bearer(token) : auth)
      .send(body);
  const decide = (reportId: string, decision: string) =>
    api.http
      .post(`/api/v1/readiness-reports/${reportId}/decision`)
      .set(bearer(sponsor.token))
      .send({ decision, reason: `The sponsors say ${decision}` })
      .expect(201);
  const auditOf = async (query: Record<string, string>) =>
    (
      await api.http
        .get(`/api/v1/audit-log?${new URLSearchParams({ limit: '100', ...query })}`)
        .set(auth)
        .expect(200)
    ).body.items as {
      action: string;
      entityType: string;
      entityId: string;
      details: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    env.SMTP_URL = smtp.url;
    api = await startApi({ clock, env });
    worker = await startWorker({ ...api.env, ...env }, clock);
    seeded = await seedCoachedQuarter({ api, worker, smtp }, PEOPLE);
    auth = bearer(seeded.owner.token);
    sponsor = await addMember(api.http, seeded.owner, 'sponsor', [seeded.organizationId]);
    coach = await addMember(api.http, seeded.owner, 'coach');
    // The first wave's coach and the rollout's own cadence: what the next wave must run with too.
    await api.http
      .patch(`/api/v1/pilots/${seeded.pilotId}`)
      .set(auth)
      .send({ coachId: coach.id })
      .expect(200);
    const cadence = (await api.http.get(`/api/v1/rollouts/${seeded.rolloutId}/cadence`).set(auth).expect(200))
      .body;
    plan = (
      await api.http
        .put(`/api/v1/rollouts/${seeded.rolloutId}/cadence`)
        .set(auth)
        .send({
          weeklyEmailCap: 4,
          steps: cadence.steps.map((step: { key: string; sendTime: string }) =>
            step.key === 'kickoff' ? { ...step, sendTime: '08:15' } : step,
          ),
        })
        .expect(200)
    ).body;
    // The first wave's pilot also ran a plan of its own: the retrospective with the coach's question set,
    // confidential with k = 4, and a kickoff with its own Swedish text. The next wave must run it too.
    const questionSet = await api.http
      .post('/api/v1/question-sets')
      .set(auth)
      .send({
        name: 'Ensimmäisen aallon kysely',
        questions: [
          {
            key: 'focus',
            type: 'likert5',
            section: 'process',
            text: {
              fi: 'Keskityimme olennaiseen.',
              sv: 'Vi fokuserade på det väsentliga.',
              en: 'We focused.',
            },
            required: true,
          },
        ],
      })
      .expect(201);
    const ownSteps = plan.steps.map((step: { key: string; kind: string }) =>
      step.kind === 'retrospective_open'
        ? {
            ...step,
            retrospective: { questionSetId: questionSet.body.id, anonymity: 'confidential', minGroupSize: 4 },
          }
        : step.key === 'kickoff'
          ? { ...step, texts: { sv: { subject: 'Välkommen till piloten', body: 'Hej {{recipient.name}}!' } } }
          : step,
    );
    pilotPlan = (
      await api.http
        .put(`/api/v1/pilots/${seeded.pilotId}/cadence`)
        .set(auth)
        .send({ steps: ownSteps })
        .expect(200)
    ).body;
    expect(pilotPlan.inherited).toBe(false);
    const note = async (body: string) =>
      (
        await api.http
          .post(`/api/v1/quarters/${seeded.quarterId}/learning-notes`)
          .set(auth)
          .send({ body })
          .expect(201)
      ).body.id as string;
    notes = { marked: await note(MARKED), unmarked: await note(UNMARKED) };
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  it('lets the coach mark a lesson for the next wave, by name of the field when the value is wrong', async () => {
    const marked = await api.http
      .patch(`/api/v1/learning-notes/${notes.marked}`)
      .set(auth)
      .send({ forNextWave: true })
      .expect(200);
    expect(marked.body).toMatchObject({ id: notes.marked, body: MARKED, forNextWave: true });
    const wrong = await api.http
      .patch(`/api/v1/learning-notes/${notes.unmarked}`)
      .set(auth)
      .send({ forNextWave: 'yes' })
      .expect(422);
    expect(JSON.stringify(wrong.body)).toContain('forNextWave');
    await api.http
      .patch(`/api/v1/learning-notes/${notes.marked}`)
      .set(bearer(sponsor.token))
      .send({ forNextWave: false })
      .expect(403);
    const listed = await api.http
      .get(`/api/v1/rollouts/${seeded.rolloutId}/learning-notes`)
      .set(auth)
      .expect(200);
    expect(
      Object.fromEntries(
        listed.body.map((n: { body: string; forNextWave: boolean }) => [n.body, n.forNextWave]),
      ),
    ).toEqual({ [MARKED]: true, [UNMARKED]: false });
    const audit = await auditOf({ entityId: notes.marked, action: 'learning_note.marked_for_next_wave' });
    expect(audit).toHaveLength(1);
  });

  it("marks a lesson with the console's checkbox, and shows the mark", async () => {
    const page = `/app/quarters/${seeded.quarterId}/report`;
    const owner = new ConsoleClient(api);
    expect((await owner.signIn(seeded.owner.email)).status).toBe(303);
    const added = await owner.submit(page, { body: TAKEN_BACK, forNextWave: 'on' }, `${page}/notes`);
    expect(added.status).toBe(303);
    const shown = await owner.get(page);
    expect(shown.text).toContain('id="field-for-next-wave"');
    const listed = await api.http
      .get(`/api/v1/quarters/${seeded.quarterId}/learning-notes`)
      .set(auth)
      .expect(200);
    const note = listed.body.find((n: { body: string }) => n.body === TAKEN_BACK);
    expect(note).toMatchObject({ forNextWave: true });
    // Taken back: the next wave's kickoff must not show it.
    await api.http
      .patch(`/api/v1/learning-notes/${note.id}`)
      .set(auth)
      .send({ forNextWave: false })
      .expect(200);
    const unmarked = await auditOf({ entityId: note.id, action: 'learning_note.unmarked_for_next_wave' });
    expect(unmarked).toHaveLength(1);
  });

  it('refuses the next wave until the sponsors decide go', async () => {
    const report = (
      await api.http.get(`/api/v1/readiness-reports/${seeded.readinessReportId}`).set(auth).expect(200)
    ).body;
    // The report proposes what the rules give by hand (see PROPOSAL).
    expect(report.content.nextWave).toMatchObject(PROPOSAL);

    const none = await nextWave(seeded.readinessReportId).expect(409);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.body.detail).toMatch(/no decision/i);
    await decide(seeded.readinessReportId, 'extend');
    const extend = await nextWave(seeded.readinessReportId).expect(409);
    expect(extend.body.detail).toMatch(/extend/);
    // An extend leaves the rollout as it was.
    const rollout = await api.http.get(`/api/v1/rollouts/${seeded.rolloutId}`).set(auth).expect(200);
    expect(rollout.body.status).toBe('piloting');
    const pilots = await api.http.get(`/api/v1/rollouts/${seeded.rolloutId}/pilots`).set(auth).expect(200);
    expect(pilots.body.total).toBe(1);
  });

  it('marks the rollout widening on go, and creates the proposed pilot as the next wave', async () => {
    go = (await decide(seeded.readinessReportId, 'go')).body;
    const rollout = await api.http.get(`/api/v1/rollouts/${seeded.rolloutId}`).set(auth).expect(200);
    expect(rollout.body.status).toBe('scaling');

    await nextWave(seeded.readinessReportId, {}, sponsor.token).expect(403);
    const wrong = await nextWave(seeded.readinessReportId, {
      pilots: [{ size: 0, levels: ['kings'] }],
    }).expect(422);
    expect(JSON.stringify(wrong.body)).toMatch(/pilots\.0\.size|pilots\[0\]\.size/);

    const created = await nextWave(seeded.readinessReportId).expect(201);
    wave = created.body;
    const organization = (
      await api.http.get(`/api/v1/organizations/${seeded.organizationId}`).set(auth).expect(200)
    ).body;
    const name = { fi: 'Aalto 2', sv: 'Våg 2', en: 'Wave 2' }[
      organization.defaultLocale as 'fi' | 'sv' | 'en'
    ];
    expect(wave).toMatchObject({
      created: true,
      readinessReportId: seeded.readinessReportId,
      decisionId: go.id,
      waveNumber: 2,
    });
    expect(wave.pilots).toHaveLength(1);
    expect(wave.pilots[0]).toMatchObject({
      rolloutId: seeded.rolloutId,
      name,
      waveNumber: 2,
      plannedSize: PROPOSAL.size,
      levels: PROPOSAL.levels,
      startQuarter: PROPOSAL.startQuarter,
      decisionId: go.id,
      state: 'planned',
      // Seeded from the first wave: its coach and its length.
      coachId: coach.id,
      quarterCount: 4,
    });
    const quarters = await api.http.get(`/api/v1/pilots/${wave.pilots[0].id}/quarters`).set(auth).expect(200);
    expect(quarters.body.map((q: { label: string }) => q.label)).toEqual([
      '2027-Q2',
      '2027-Q3',
      '2027-Q4',
      '2028-Q1',
    ]);
  });

  it('answers a second call with the pilots of the first, creating nothing', async () => {
    const again = await nextWave(seeded.readinessReportId, { pilots: [{ name: 'Another', size: 3 }] }).expect(
      200,
    );
    expect(again.body).toMatchObject({ created: false, decisionId: go.id, waveNumber: 2 });
    expect(again.body.pilots.map((p: { id: string }) => p.id)).toEqual([wave.pilots[0].id]);
    const pilots = await api.http.get(`/api/v1/rollouts/${seeded.rolloutId}/pilots`).set(auth).expect(200);
    expect(pilots.body.total).toBe(2);
  });

  it("runs the next wave on the previous wave's plan", async () => {
    const rolloutOfPilot = wave.pilots[0].rolloutId as string;
    const now = await api.http.get(`/api/v1/rollouts/${rolloutOfPilot}/cadence`).set(auth).expect(200);
    expect(now.body).toEqual(plan);
    expect(now.body).toMatchObject({ custom: true, weeklyEmailCap: 4 });
    // The previous wave's own plan, copied: the same steps, texts and retrospective settings.
    const own = await api.http.get(`/api/v1/pilots/${wave.pilots[0].id}/cadence`).set(auth).expect(200);
    expect(own.body.inherited).toBe(false);
    expect(own.body.steps).toEqual(pilotPlan.steps);
    const opens = own.body.steps.find((step: { kind: string }) => step.kind === 'retrospective_open');
    expect(opens.retrospective).toMatchObject({ anonymity: 'confidential', minGroupSize: 4 });
  });

  it('links the decision, the wave and the new pilot in the audit log', async () => {
    const [decided] = await auditOf({ action: 'rollout.decided', entityId: seeded.rolloutId }).then((items) =>
      items.filter((i) => i.details.decisionId === go.id),
    );
    expect(decided.details).toMatchObject({ decision: 'go', reportId: seeded.readinessReportId });
    const widened = await auditOf({ action: 'rollout.status_changed', entityId: seeded.rolloutId });
    expect(widened.map((i) => i.details)).toContainEqual(
      expect.objectContaining({ from: 'piloting', to: 'scaling', decisionId: go.id }),
    );
    const waves = await auditOf({ action: 'rollout.next_wave_created' });
    expect(waves).toHaveLength(1);
    expect(waves[0]).toMatchObject({
      entityType: 'rollout_decision',
      entityId: go.id,
      details: {
        decisionId: go.id,
        readinessReportId: seeded.readinessReportId,
        rolloutId: seeded.rolloutId,
        waveNumber: 2,
        previousWave: 1,
        pilotIds: [wave.pilots[0].id],
      },
    });
    const created = await auditOf({ action: 'pilot.created', entityId: wave.pilots[0].id as string });
    expect(created).toHaveLength(1);
    expect(created[0].details).toMatchObject({
      decisionId: go.id,
      waveNumber: 2,
      plannedSize: PROPOSAL.size,
    });
  });

  it("shows the marked lesson, and no other note, in the next wave's kickoff only", async () => {
    const pilotId = wave.pilots[0].id as string;
    const people = [
      { email: 'wave.two.en@wave-two.example', name: 'Wendy Two', locale: 'en' },
      { email: 'wave.two.fi@wave-two.example', name: 'Väinö Kaksi', locale: 'fi' },
    ];
    for (const person of people)
      await api.http
        .post(`/api/v1/pilots/${pilotId}/participants`)
        .set(auth)
        .send({ ...person, level: 'staff', timeZone: 'UTC' })
        .expect(201);
    // A wave-2 pilot made by hand, not from the decision: its kickoff carries no lessons.
    const byHand = (
      await api.http
        .post(`/api/v1/rollouts/${seeded.rolloutId}/pilots`)
        .set(auth)
        .send({ name: 'By hand', waveNumber: 2, levels: ['staff'], startQuarter: '2027-Q2' })
        .expect(201)
    ).body;
    await api.http
      .post(`/api/v1/pilots/${byHand.id}/participants`)
      .set(auth)
      .send({
        email: 'by.hand@wave-two.example',
        name: 'Hanna Hand',
        locale: 'en',
        level: 'staff',
        timeZone: 'UTC',
      })
      .expect(201);
    const started = await api.http.post(`/api/v1/pilots/${pilotId}/start`).set(auth).expect(200);
    const startedByHand = await api.http.post(`/api/v1/pilots/${byHand.id}/start`).set(auth).expect(200);
    const quarterId: string = started.body.currentQuarter.id;
    const byHandQuarterId: string = startedByHand.body.currentQuarter.id;

    // The first day of 2027-Q2, after the kickoff's 08:15.
    clock.set(new Date('2027-04-01T09:00:00Z'));
    await worker.tickAndDrain();
    const kickoffOf = (quarter: string, to: string) =>
      waitFor(
        () =>
          smtp.received.some(
            (m) =>
              m.to === to &&
              m.header('x-luotsi-message')?.startsWith(quarter) &&
              /kickoff/.test(m.header('x-luotsi-message') ?? ''),
          ),
        20_000,
        () => `no kickoff reached ${to}`,
      ).then(() =>
        smtp.received.filter(
          (m) =>
            m.to === to &&
            m.header('x-luotsi-message')?.startsWith(quarter) &&
            /kickoff/.test(m.header('x-luotsi-message') ?? ''),
        ),
      );
    const [en] = await kickoffOf(quarterId, people[0].email);
    expect(en.subject).toContain('2027-Q2');
    expect(en.text).toContain(LESSONS_EN);
    expect(en.text).toContain(MARKED);
    // Exactly the marked lesson, and no other note.
    expect(lessonsIn(en.html, LESSONS_EN)).toEqual([MARKED]);
    expect(en.text).not.toContain(UNMARKED);
    expect(en.text).not.toContain(TAKEN_BACK);
    const [fi] = await kickoffOf(quarterId, people[1].email);
    expect(fi.text).toContain(LESSONS_FI);
    expect(lessonsIn(fi.html, LESSONS_FI)).toEqual([MARKED]);
    expect(fi.text).toContain(MARKED);
    expect(fi.text).not.toContain(UNMARKED);
    expect(fi.text).not.toContain(TAKEN_BACK);
    const [hand] = await kickoffOf(byHandQuarterId, 'by.hand@wave-two.example');
    expect(hand.text).not.toContain(LESSONS_EN);
    expect(lessonsIn(hand.html, LESSONS_EN)).toBeNull();
    expect(hand.text).not.toContain(MARKED);
    expect(hand.text).not.toContain(UNMARKED);
    // Sent once each: the kickoff is one outbox row per person.
    expect(await kickoffOf(quarterId, people[0].email)).toHaveLength(1);
  });

  it('closes the rollout on stop, and then refuses the next wave and new pilots', async () => {
    // The clock moved on past the tokens' lifetime: sign in again.
    const login = async (email: string) =>
      (await api.http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200)).body
        .accessToken as string;
    auth = bearer(await login(seeded.owner.email));
    sponsor.token = await login(sponsor.email);
    const requested = await api.http
      .post(`/api/v1/rollouts/${seeded.rolloutId}/readiness-report`)
      .set(auth)
      .expect(202);
    await waitFor(
      async () =>
        (await api.db.query(`SELECT status FROM readiness_report WHERE id = $1`, [requested.body.id]))[0]
          ?.status === 'ready',
      30_000,
      () => 'second readiness report not built',
    );
    const stop = (await decide(requested.body.id, 'stop')).body;
    const rollout = await api.http.get(`/api/v1/rollouts/${seeded.rolloutId}`).set(auth).expect(200);
    expect(rollout.body.status).toBe('closed');
    const closed = await auditOf({ action: 'rollout.closed', entityId: seeded.rolloutId });
    expect(closed).toHaveLength(1);
    expect(closed[0].details).toMatchObject({ from: 'scaling', to: 'closed', decisionId: stop.id });

    const refused = await nextWave(requested.body.id).expect(409);
    expect(refused.body.detail).toMatch(/stop/);
    const pilot = await api.http
      .post(`/api/v1/rollouts/${seeded.rolloutId}/pilots`)
      .set(auth)
      .send({ name: 'Too late', waveNumber: 3, levels: ['staff'], startQuarter: '2027-Q3' })
      .expect(409);
    expect(pilot.body.detail).toMatch(/closed/);
    // A closed rollout takes no more decisions either.
    await api.http
      .post(`/api/v1/readiness-reports/${requested.body.id}/decision`)
      .set(bearer(sponsor.token))
      .send({ decision: 'go', reason: 'Changed our minds' })
      .expect(409);
    const pilots = await api.http.get(`/api/v1/rollouts/${seeded.rolloutId}/pilots`).set(auth).expect(200);
    expect(pilots.body.total).toBe(3);
  });
});
