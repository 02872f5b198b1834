import { DataSource } from 'typeorm';
import { CadenceService, ManualClock, systemActor, TenantContext } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  PASSWORD,
  signUp,
  Workspace,
} from './support/fixtures';
import { waitFor } from './support/processes';
import { ReceivedMail, startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

const BUILTIN = 'builtin:end-of-quarter';

/** Pilot A follows the rollout's plan; pilot B (the board) has its own. */
const PILOT_A = [
  {
    email: 'aino@example.fi',
    name: 'Aino Virtanen',
    locale: 'fi',
    timeZone: 'Europe/Helsinki',
    level: 'staff',
  },
  {
    email: 'eero@example.fi',
    name: 'Eero Mäkinen',
    locale: 'fi',
    timeZone: 'Europe/Helsinki',
    level: 'staff',
  },
  {
    email: 'asa@example.se',
    name: 'Åsa Lindqvist',
    locale: 'sv',
    timeZone: 'Europe/Stockholm',
    level: 'staff',
  },
] as const;
const PILOT_B = [
  {
    email: 'britt@example.se',
    name: 'Britt Öhman',
    locale: 'sv',
    timeZone: 'Europe/Stockholm',
    level: 'board',
  },
  {
    email: 'pekka@example.fi',
    name: 'Pekka Nieminen',
    locale: 'fi',
    timeZone: 'Europe/Helsinki',
    level: 'staff',
  },
  {
    email: 'emma@example.co.uk',
    name: 'Emma Clarke',
    locale: 'en',
    timeZone: 'Europe/London',
    level: 'board',
  },
] as const;

/** Words of the built-in texts, by language (as in test/cadence-delivery). */
const KICKOFF = { fi: 'tärkein tehtävä', sv: 'viktigaste uppgiften', en: 'most crucial task' };
const MIDQUARTER = {
  sv: 'Är nyckelresultaten fortfarande de rätta?',
  en: 'Are the key results still the right ones?',
};

/** The board pilot's own kickoff, in Swedish and Finnish; English is left to the template. */
const BOARD_KICKOFF = {
  sv: {
    subject: 'Styrelsens pilot börjar, {{recipient.firstName}}',
    body: '<p>Hej {{recipient.firstName}}!</p><p>Styrelsen börjar sitt första OKR-kvartal {{quarter.label}}.</p>',
  },
  fi: {
    subject: 'Hallituksen pilotti alkaa, {{recipient.firstName}}',
    body: '<p>Hei {{recipient.firstName}}!</p><p>Hallitus aloittaa ensimmäisen OKR-neljänneksensä {{quarter.label}}.</p>',
  },
};

const step = (fields: Record<string, unknown>) => ({
  anchor: 'start',
  sendTime: '09:00',
  audience: 'participants',
  ...fields,
});

/**
 * Two pilots of one rollout on the test clock, over the real queue, worker and SMTP: one inherits the
 * rollout's cadence, one has its own, with step audiences, its own texts per language, and the
 * retrospective each cadence opens.
 */
describe('a cadence per pilot', () => {
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;
  let owner: Workspace;
  const clock = new ManualClock(new Date('2027-01-01T12:00:00Z'));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    api = await startApi({ clock, env: { SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://luotsi.test' } });
    worker = await startWorker(
      { ...api.env, SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://luotsi.test' },
      clock,
    );
    owner = await signUp(api.http);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  /** A tick at the clock's time, then until every due mail went; the mails it brought, by address. */
  const tick = async (): Promise<Map<string, ReceivedMail[]>> => {
    const seen = smtp.received.length;
    await worker.tickAndDrain();
    await waitFor(
      async () =>
        (
          await api.db.query(
            `SELECT count(*)::int AS n FROM outbox_message WHERE status = 'queued' OR (status = 'pending' AND due_at <= $1)`,
            [clock.now()],
          )
        )[0].n === 0,
      30_000,
      () => 'mail still due',
    );
    const byAddress = new Map<string, ReceivedMail[]>();
    for (const mail of smtp.received.slice(seen))
      byAddress.set(mail.to, [...(byAddress.get(mail.to) ?? []), mail]);
    return byAddress;
  };
  const flat = (text: string | null) => (text ?? '').replace(/\s+/g, ' ');

  it('sends each pilot its own plan, to the step’s audience, in the step’s own words, and opens the chosen retrospective', async () => {
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token, {
      defaultLocale: 'fi',
      timeZone: 'Europe/Helsinki',
    });
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilotA = await createPilot(api.http, owner.token, rollout.id, { levels: ['staff'] });
    const pilotB = await createPilot(api.http, owner.token, rollout.id, { levels: ['board', 'staff'] });
    const ids: Record<string, string> = {};
    for (const [pilot, people] of [
      [pilotA, PILOT_A],
      [pilotB, PILOT_B],
    ] as const)
      for (const person of people) {
        const res = await api.http
          .post(`/api/v1/pilots/${pilot.id}/participants`)
          .set(auth)
          .send(person)
          .expect(201);
        ids[person.email] = res.body.id;
      }

    // The coach's own question set: two statements of their own, asked confidentially with k = 4.
    const set = await api.http
      .post('/api/v1/question-sets')
      .set(auth)
      .send({
        name: 'Hallitustyön kysely',
        questions: [
          {
            key: 'board_focus',
            type: 'likert5',
            section: 'process',
            text: {
              fi: 'Hallitus keskittyi olennaiseen.',
              sv: 'Styrelsen fokuserade på det väsentliga.',
              en: 'The board focused on what matters.',
            },
            required: true,
          },
          {
            key: 'board_next',
            type: 'free_text',
            section: 'reflection',
            text: { fi: 'Mitä muuttaisit?', sv: 'Vad skulle du ändra?', en: 'What would you change?' },
            required: false,
          },
        ],
      })
      .expect(201);

    // The rollout's plan: kickoff, a week-2 check-in request for key-result owners only, and the
    // retrospective two weeks before the end with the coach's set, confidential, k = 4.
    const rolloutPlan = [
      step({ key: 'kickoff', kind: 'prompt', offsetDays: 0, template: 'prompt-kickoff' }),
      step({
        key: 'checkin-w2',
        kind: 'checkin_request',
        offsetDays: 7,
        template: 'checkin-request',
        audience: 'owners',
      }),
      step({
        key: 'nudge-w3',
        kind: 'prompt',
        offsetDays: 14,
        template: 'prompt-midquarter',
        audience: 'non_responders',
      }),
      step({
        key: 'retrospective-open',
        kind: 'retrospective_open',
        anchor: 'end',
        offsetDays: -14,
        template: 'retrospective-invitation',
        retrospective: { questionSetId: set.body.id, anonymity: 'confidential', minGroupSize: 4 },
      }),
    ];
    await api.http
      .put(`/api/v1/rollouts/${rollout.id}/cadence`)
      .set(auth)
      .send({ steps: rolloutPlan })
      .expect(200);

    // Pilot B's own plan: its own kickoff texts, a check-in request for everyone, a week-3 nudge to the
    // board only, and the retrospective as the product opens it by default.
    const boardPlan = [
      step({
        key: 'kickoff',
        kind: 'prompt',
        offsetDays: 0,
        template: 'prompt-kickoff',
        texts: BOARD_KICKOFF,
      }),
      step({ key: 'checkin-w2', kind: 'checkin_request', offsetDays: 7, template: 'checkin-request' }),
      step({
        key: 'board-nudge',
        kind: 'prompt',
        offsetDays: 14,
        template: 'prompt-midquarter',
        audience: 'level',
        audienceLevel: 'board',
      }),
      step({
        key: 'retrospective-open',
        kind: 'retrospective_open',
        anchor: 'end',
        offsetDays: -14,
        template: 'retrospective-invitation',
      }),
    ];

    // Bad input names the field and the reason, and changes nothing.
    const bad = async (steps: unknown[], field: string, reason: RegExp) => {
      const res = await api.http
        .put(`/api/v1/pilots/${pilotB.id}/cadence`)
        .set(auth)
        .send({ steps })
        .expect(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors ?? res.body.issues).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, reason: expect.stringMatching(reason) })]),
      );
    };
    await bad(
      [{ ...boardPlan[0], texts: { sv: { subject: 'Hej {{secret.value}}', body: '<p>Hej</p>' } } }],
      'steps[0].texts.sv.subject',
      /secret/,
    );
    await bad([{ ...boardPlan[2], audienceLevel: undefined }], 'steps[0].audienceLevel', /board/);
    await bad(
      [{ ...boardPlan[3], audience: 'level', audienceLevel: 'board' }],
      'steps[0].audience',
      /prompt/,
    );
    await bad(
      [
        {
          ...boardPlan[3],
          retrospective: {
            questionSetId: '00000000-0000-4000-8000-000000000000',
            anonymity: 'named',
            minGroupSize: 5,
          },
        },
      ],
      'steps[0].retrospective.questionSetId',
      /unknown question set/,
    );
    await bad(
      [{ ...boardPlan[3], retrospective: { questionSetId: BUILTIN, anonymity: 'named', minGroupSize: 2 } }],
      'steps[0].retrospective.minGroupSize',
      /3/,
    );
    await bad([], 'steps', /at least one step/);
    expect(
      (await api.http.get(`/api/v1/pilots/${pilotB.id}/cadence`).set(auth).expect(200)).body.inherited,
    ).toBe(true);

    const saved = await api.http
      .put(`/api/v1/pilots/${pilotB.id}/cadence`)
      .set(auth)
      .send({ steps: boardPlan })
      .expect(200);
    expect(saved.body).toMatchObject({
      pilotId: pilotB.id,
      rolloutId: rollout.id,
      inherited: false,
      custom: true,
    });
    expect(saved.body.steps.map((s: { key: string }) => s.key)).toEqual([
      'kickoff',
      'checkin-w2',
      'board-nudge',
      'retrospective-open',
    ]);
    expect(saved.body.steps[0].texts).toEqual(BOARD_KICKOFF);
    expect(saved.body.steps[2]).toMatchObject({ audience: 'level', audienceLevel: 'board' });

    // Pilot A inherits: the rollout's plan, with the retrospective it opens.
    const inherited = await api.http.get(`/api/v1/pilots/${pilotA.id}/cadence`).set(auth).expect(200);
    expect(inherited.body).toMatchObject({ pilotId: pilotA.id, inherited: true, custom: true });
    expect(
      inherited.body.steps.map((s: { key: string; audience: string }) => `${s.key}:${s.audience}`),
    ).toEqual([
      'kickoff:participants',
      'checkin-w2:owners',
      'nudge-w3:non_responders',
      'retrospective-open:participants',
    ]);
    expect(inherited.body.steps[3].retrospective).toEqual({
      questionSetId: set.body.id,
      anonymity: 'confidential',
      minGroupSize: 4,
    });

    // The check-in request's text per scope: the workspace's in Swedish, the organization's and (more
    // specific) the rollout's in Finnish; the rollout's wins for a Finnish reader.
    const putTemplate = (locale: string, subject: string, scope: Record<string, string> = {}) =>
      api.http
        .put(`/api/v1/templates/checkin-request/${locale}`)
        .set(auth)
        .send({
          ...scope,
          subject,
          body: `<p>${subject}</p>{{#if links.action}}<p><a href="{{links.action}}">→</a></p>{{/if}}`,
        });
    await putTemplate('sv', 'Arbetsplatsens avstämning vecka {{quarter.week}}').expect(200);
    await putTemplate('fi', 'Organisaation kysely viikko {{quarter.week}}', {
      organizationId: organization.id,
    }).expect(200);
    const rolloutTemplate = await putTemplate('fi', 'Rollin kysely viikko {{quarter.week}}', {
      rolloutId: rollout.id,
    }).expect(200);
    expect(rolloutTemplate.body).toMatchObject({ scope: 'rollout', overridden: true, source: 'rollout' });
    const organizationView = await api.http
      .get(`/api/v1/templates/checkin-request/sv?organizationId=${organization.id}`)
      .set(auth)
      .expect(200);
    expect(organizationView.body).toMatchObject({
      scope: 'organization',
      overridden: false,
      source: 'workspace',
    });
    await putTemplate('fi', 'X', { organizationId: organization.id, rolloutId: rollout.id }).expect(422);

    // Another workspace can neither read nor write a scope of this one.
    const other = await signUp(api.http);
    await api.http.get(`/api/v1/templates?rolloutId=${rollout.id}`).set(bearer(other.token)).expect(404);
    await api.http.get(`/api/v1/pilots/${pilotB.id}/cadence`).set(bearer(other.token)).expect(404);

    // Aino and Åsa own key results of pilot A's first quarter; Eero owns none.
    for (const pilot of [pilotA, pilotB])
      await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(auth).expect(200);
    const quarterA = (await api.http.get(`/api/v1/pilots/${pilotA.id}`).set(auth).expect(200)).body
      .currentQuarter.id;
    const quarterB = (await api.http.get(`/api/v1/pilots/${pilotB.id}`).set(auth).expect(200)).body
      .currentQuarter.id;
    const objective = await api.http
      .post(`/api/v1/quarters/${quarterA}/objectives`)
      .set(auth)
      .send({
        title: 'Asiakkaat saavat päätöksen nopeammin',
        keyResults: [
          {
            title: 'Käsittelyaika 30 päivästä 20 päivään',
            measure: 'metric',
            start: 30,
            target: 20,
            ownerId: ids['aino@example.fi'],
          },
          { title: 'Jonotusaika alle viikon', measure: 'binary', ownerId: ids['asa@example.se'] },
        ],
      })
      .expect(201);

    // The preview renders any step for any participant, in their language, with the text that applies.
    const preview = (pilotId: string, key: string, email: string) =>
      api.http
        .get(`/api/v1/pilots/${pilotId}/cadence/steps/${key}/preview/${ids[email]}`)
        .set(auth)
        .expect(200);
    const britt = (await preview(pilotB.id, 'kickoff', 'britt@example.se')).body;
    expect(britt).toMatchObject({
      locale: 'sv',
      source: 'step',
      quarterId: quarterB,
      subject: 'Styrelsens pilot börjar, Britt',
    });
    expect(flat(britt.text)).toContain('Styrelsen börjar sitt första OKR-kvartal 2027-Q1.');
    expect(britt.html).toContain('<html lang="sv">');
    expect((await preview(pilotB.id, 'kickoff', 'emma@example.co.uk')).body).toMatchObject({
      locale: 'en',
      source: 'builtin',
    });
    expect((await preview(pilotA.id, 'checkin-w2', 'aino@example.fi')).body).toMatchObject({
      source: 'rollout',
      subject: 'Rollin kysely viikko 2',
    });
    expect((await preview(pilotA.id, 'checkin-w2', 'asa@example.se')).body).toMatchObject({
      source: 'workspace',
      subject: 'Arbetsplatsens avstämning vecka 2',
    });
    await api.http
      .get(`/api/v1/pilots/${pilotA.id}/cadence/steps/board-nudge/preview/${ids['aino@example.fi']}`)
      .set(auth)
      .expect(404);
    await api.http
      .get(`/api/v1/pilots/${pilotA.id}/cadence/steps/kickoff/preview/${ids['britt@example.se']}`)
      .set(auth)
      .expect(404);

    // January 1: both kickoffs. Pilot B's own text in Swedish for Britt, in Finnish for Pekka; Emma,
    // whose language the step leaves out, gets the template.
    let mail = await tick();
    expect([...mail.keys()].sort()).toEqual([...PILOT_A, ...PILOT_B].map((p) => p.email).sort());
    for (const person of PILOT_A)
      expect(flat(mail.get(person.email)![0].plainPart)).toContain(KICKOFF[person.locale]);
    const [brittKickoff] = mail.get('britt@example.se')!;
    expect(brittKickoff.subject).toBe('Styrelsens pilot börjar, Britt');
    expect(brittKickoff.htmlPart).toContain('<html lang="sv">');
    expect(flat(brittKickoff.plainPart)).toContain('Styrelsen börjar sitt första OKR-kvartal 2027-Q1.');
    expect(flat(brittKickoff.plainPart)).not.toContain(KICKOFF.sv);
    expect(mail.get('pekka@example.fi')![0].subject).toBe('Hallituksen pilotti alkaa, Pekka');
    expect(flat(mail.get('pekka@example.fi')![0].plainPart)).toContain(
      'Hallitus aloittaa ensimmäisen OKR-neljänneksensä 2027-Q1.',
    );
    expect(flat(mail.get('emma@example.co.uk')![0].plainPart)).toContain(KICKOFF.en);

    // January 8: pilot A's check-in request goes to its key-result owners only, in the most specific
    // text of each one's language; pilot B asks everyone.
    clock.set(new Date('2027-01-08T12:00:00Z'));
    mail = await tick();
    expect([...mail.keys()].sort()).toEqual(
      ['aino@example.fi', 'asa@example.se', ...PILOT_B.map((p) => p.email)].sort(),
    );
    expect(mail.get('aino@example.fi')![0].subject).toBe('Rollin kysely viikko 2');
    expect(mail.get('pekka@example.fi')![0].subject).toBe('Rollin kysely viikko 2');
    expect(mail.get('asa@example.se')![0].subject).toBe('Arbetsplatsens avstämning vecka 2');
    expect(mail.get('britt@example.se')![0].subject).toBe('Arbetsplatsens avstämning vecka 2');
    // Aino checks in through her link; Åsa does not.
    const ainoLink = /http:\/\/luotsi\.test(\/c\/c_[A-Za-z0-9_-]{43})/.exec(
      mail.get('aino@example.fi')![0].plainPart!,
    )![1];
    const ainoResult = objective.body.keyResults[0].id;
    await api.http
      .post(ainoLink)
      .type('form')
      .send({ [`value.${ainoResult}`]: '27', [`confidence.${ainoResult}`]: '7' })
      .expect(200);

    // January 15: the board nudge reaches the board level of pilot B only; pilot A's nudge those who
    // have not checked in this quarter (everyone but Aino).
    clock.set(new Date('2027-01-15T12:00:00Z'));
    mail = await tick();
    expect([...mail.keys()].sort()).toEqual([
      'asa@example.se',
      'britt@example.se',
      'eero@example.fi',
      'emma@example.co.uk',
    ]);
    expect(flat(mail.get('britt@example.se')![0].plainPart)).toContain(MIDQUARTER.sv);
    expect(flat(mail.get('emma@example.co.uk')![0].plainPart)).toContain(MIDQUARTER.en);

    // March 17: each pilot's retrospective opens as its cadence says.
    clock.set(new Date('2027-03-17T12:00:00Z'));
    mail = await tick();
    expect([...mail.keys()].sort()).toEqual([...PILOT_A, ...PILOT_B].map((p) => p.email).sort());
    const runs = await api.db.query(
      `SELECT quarter_id AS "quarterId", question_set_ref AS "questionSetRef", anonymity, min_group_size AS k,
              jsonb_array_length(questions) AS questions
       FROM retrospective ORDER BY anonymity`,
    );
    expect(runs).toEqual([
      {
        quarterId: quarterB,
        questionSetRef: BUILTIN,
        anonymity: 'anonymous',
        k: 5,
        questions: expect.any(Number),
      },
      { quarterId: quarterA, questionSetRef: set.body.id, anonymity: 'confidential', k: 4, questions: 2 },
    ]);
    expect(runs[0].questions).toBeGreaterThan(2);
    // Åsa's link opens the coach's own questions, in Swedish.
    const link = /http:\/\/luotsi\.test(\/r\/r_[A-Za-z0-9_-]{43})/.exec(
      mail.get('asa@example.se')![0].plainPart!,
    )![1];
    const page = await api.http.get(link).expect(200);
    expect(page.text).toContain('Styrelsen fokuserade på det väsentliga.');

    // Nothing twice, and the coach's changes are in the audit log.
    const messageIds = smtp.received.map((m) => m.messageId);
    expect(new Set(messageIds).size).toBe(messageIds.length);
    expect(smtp.received.length).toBe(6 + 5 + 4 + 6);
    const login = await api.http
      .post('/api/v1/auth/login')
      .send({ email: owner.email, password: PASSWORD })
      .expect(200);
    const audit = await api.http
      .get('/api/v1/audit-log?limit=100')
      .set(bearer(login.body.accessToken))
      .expect(200);
    const actions = (audit.body.items as { action: string; entityType: string; entityId: string }[]).map(
      (e) => `${e.action} ${e.entityType} ${e.entityId}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        `cadence.updated rollout ${rollout.id}`,
        `cadence.updated pilot ${pilotB.id}`,
        'template.saved template checkin-request/fi',
      ]),
    );

    // A next wave seeded from the board pilot gets its plan, texts and all; from pilot A, which
    // inherits, nothing is copied.
    const pilotC = await createPilot(api.http, login.body.accessToken, rollout.id, { levels: ['board'] });
    const [{ workspaceId }] = await api.db.query(
      `SELECT workspace_id AS "workspaceId" FROM pilot WHERE id = $1`,
      [pilotC.id],
    );
    const copy = (from: string, to: string) =>
      api.app
        .get(TenantContext)
        .run(systemActor(workspaceId), () =>
          api.app
            .get(DataSource)
            .transaction((manager) => api.app.get(CadenceService).copyPilotCadence(from, to, manager)),
        );
    expect(await copy(pilotA.id, pilotC.id)).toBe(0);
    expect(
      (
        await api.http
          .get(`/api/v1/pilots/${pilotC.id}/cadence`)
          .set(bearer(login.body.accessToken))
          .expect(200)
      ).body.inherited,
    ).toBe(true);
    expect(await copy(pilotB.id, pilotC.id)).toBe(4);
    const copied = (
      await api.http
        .get(`/api/v1/pilots/${pilotC.id}/cadence`)
        .set(bearer(login.body.accessToken))
        .expect(200)
    ).body;
    expect(copied).toMatchObject({ inherited: false, steps: saved.body.steps });

    // Back to the rollout's plan: pilot B inherits again.
    const reset = await api.http
      .delete(`/api/v1/pilots/${pilotB.id}/cadence`)
      .set(bearer(login.body.accessToken))
      .expect(200);
    expect(reset.body).toMatchObject({ inherited: true });
    expect(reset.body.steps.map((s: { key: string }) => s.key)).toEqual([
      'kickoff',
      'checkin-w2',
      'nudge-w3',
      'retrospective-open',
    ]);
  }, 180_000);
});
