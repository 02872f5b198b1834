import { startApi, TestApi } from './support/api';
import { seedPlanningEntry } from './support/planning';
import { fillPath, Operation, operations } from './support/openapi-walk';
import { learningContent, readinessContent } from './support/report-content';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  Workspace,
} from './support/fixtures';

/**
 * What the Express app really serves, read off its router stack: each route as `METHOD /path` (paths
 * in OpenAPI's `{param}` form, trailing slash dropped), and a mounted middleware or a route for every
 * method as `USE /path` or `ALL /path`. An `ALL`/`USE` on a path that also has method routes is that
 * path's middleware (Nest's per-route middleware, the global prefix's exclusions) and folds into them.
 */
function servedRoutes(api: TestApi): string[] {
  type Layer = { rawPath?: unknown; route?: { path: string; methods: Record<string, boolean> } };
  const stack = (api.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router.stack;
  const norm = (path: string) => path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1');
  const methods = new Set<string>();
  const catchAll = new Set<string>();
  for (const layer of stack) {
    if (layer.route) {
      const verbs = Object.keys(layer.route.methods);
      if (verbs.length > 5) catchAll.add(`ALL ${norm(layer.route.path)}`);
      else for (const verb of verbs) methods.add(`${verb.toUpperCase()} ${norm(layer.route.path)}`);
    } else if (typeof layer.rawPath === 'string' && layer.rawPath !== '/') {
      catchAll.add(`USE ${norm(layer.rawPath)}`);
    }
  }
  const paths = new Set([...methods].map((route) => route.split(' ')[1]));
  return [...methods, ...[...catchAll].filter((route) => !paths.has(route.split(' ')[1]))].sort();
}

/**
 * Everything the app serves that is not in the OpenAPI document, and why its tenancy is not the walk's
 * business. A new hidden route fails the inventory test until it is added here, with a reason.
 */
const NOT_IN_OPENAPI: Record<string, string> = {
  // Participant pages: no member token at all; the unguessable token in the path picks the record.
  'GET /r/{token}': 'retrospective form; the token is one invitation of one workspace',
  'POST /r/{token}': 'retrospective answer; the token is one invitation of one workspace',
  'GET /c/{token}': 'check-in form; the token is one invitation of one workspace',
  'POST /c/{token}': 'check-in answer; the token is one invitation of one workspace',
  'GET /p/{token}': "planning page; the token is one participant's link to one quarter's drafts",
  'POST /p/{token}': "planning comment; the token is one participant's link to one quarter's drafts",
  'GET /u/{token}': 'unsubscribe page; the token names one participant',
  'POST /u/{token}': 'RFC 8058 one-click unsubscribe; the token names one participant',
  'GET /s/{token}': 'shared report link; the token is one share of one report (tested in report-formats)',
  // Operations: no workspace data.
  'GET /metrics': 'Prometheus counters, aggregated over all workspaces, no ids or names',
  'ALL /admin/queues': "Bull Board, operator-only (tested in queue-board); shares every workspace's queues",
  'ALL /admin/queues/{*path}': 'Bull Board assets and its API, operator-only',
  'USE /admin/queues': 'Bull Board router and its access middleware',
  'USE /admin/queues/{*path}': 'Bull Board router and its access middleware',
  // The development inbox: only outside production (mail sent by the app, for local testing).
  'GET /dev/inbox': 'development inbox, not mounted in production',
  'GET /dev/inbox/{id}': 'development inbox, not mounted in production',
  'GET /dev/inbox/{id}/html': 'development inbox, not mounted in production',
  'GET /dev/inbox/{id}/raw': 'development inbox, not mounted in production',
  // The development clock: only outside production; moves the clock of every workspace alike.
  'GET /dev/clock': 'development clock, not mounted in production',
  'POST /dev/clock': 'development clock, not mounted in production',
  // The API document itself and Swagger UI: static, the same for everyone.
  'GET /docs': 'Swagger UI (its static assets, mounted at /docs, fold into this entry)',
  'GET /docs/index.html': 'Swagger UI',
  'GET /docs/LICENSE': 'Swagger UI licence',
  'GET /docs/swagger-ui-init.js': 'Swagger UI bootstrap (embeds the OpenAPI document)',
  'GET /docs/docs/swagger-ui-init.js': 'Swagger UI bootstrap, as @nestjs/swagger also mounts it',
  'GET /docs-json': 'the OpenAPI document',
  'GET /docs-yaml': 'the OpenAPI document as YAML',
  // Middleware across the whole API: runs before the routes of the OpenAPI document, each one walked.
  'ALL /api/v1': "Nest middleware for every API route (Nest's catch-all under the global prefix)",
  'ALL /api/v1{/*splat}': 'Nest middleware for every API route',
  'USE /api/v1': "the API's router (the 404 for unknown API paths)",
  'USE /api/v1/*path': 'Nest middleware for every API route',
};

const PUBLIC = [
  'POST /api/v1/workspaces',
  'POST /api/v1/auth/login',
  // The sign-in's second step: it takes the challenge from the first step, never a member's token.
  'POST /api/v1/auth/login/second-factor',
  'POST /api/v1/auth/invitations/accept',
  'POST /api/v1/auth/confirmations',
  'POST /api/v1/auth/confirmations/resend',
  'POST /api/v1/auth/password/forgot',
  'POST /api/v1/auth/password/reset',
  'GET /health',
];

/** A member's own account, for any role (a sponsor's too); the last two end the caller's sessions. */
const OWN_ACCOUNT = ['/api/v1/auth/password', '/api/v1/auth/sign-out-everywhere', '/api/v1/auth/logout'];
/** Ending sessions: walked last, as the token stops working. */
const ENDS_SESSION = (path: string) =>
  ['/api/v1/auth/logout', '/api/v1/auth/sign-out-everywhere'].indexOf(path) + 1;

const SPONSOR_WRITES = ['POST /api/v1/readiness-reports/{id}/decision'];

/**
 * The operator's, not a workspace's: no member token opens them (the queue board, tested in queue-board;
 * the inbound bounce endpoint, INBOUND_TOKEN only, tested in bounces; send quotas, tested in send-quota).
 */
const OPERATOR = ['POST /admin/session', 'POST /api/v1/inbound/bounces', 'PUT /api/v1/operator/send-quota'];

describe('tenancy: another workspace sees nothing, a sponsor changes nothing', () => {
  let api: TestApi;
  let a: Workspace;
  let b: Workspace;
  const ids: Record<string, string> = {};
  const secrets: string[] = [];

  beforeAll(async () => {
    api = await startApi();
    a = await signUp(api.http, 'Workspace A');
    b = await signUp(api.http, 'Workspace B');
    const organization = await createOrganization(api.http, a.token, { name: 'Secret Org A' });
    const hidden = await createOrganization(api.http, a.token, { name: 'Hidden Org A2' });
    const rollout = await createRollout(api.http, a.token, organization.id);
    const pilot = await createPilot(api.http, a.token, rollout.id, { name: 'Secret Pilot A' });
    const participant = await api.http
      .post(`/api/v1/pilots/${pilot.id}/participants`)
      .set(bearer(a.token))
      .send({ email: 'secret.person@a.example', name: 'Secret Person', level: 'staff' })
      .expect(201);
    const quarters = await api.http
      .get(`/api/v1/pilots/${pilot.id}/quarters`)
      .set(bearer(a.token))
      .expect(200);
    const coach = await addMember(api.http, a, 'coach');
    const sponsor = await addMember(api.http, a, 'sponsor', [organization.id]);
    const beat = await api.http.post('/api/v1/heartbeats').set(bearer(a.token)).expect(202);
    const questionSet = await api.http
      .post('/api/v1/question-sets')
      .set(bearer(a.token))
      .send({ name: 'Secret Set A', copyOf: 'builtin:end-of-quarter' })
      .expect(201);
    const objective = await api.http
      .post(`/api/v1/quarters/${quarters.body[0].id}/objectives`)
      .set(bearer(a.token))
      .send({
        title: 'Secret Objective A',
        keyResults: [{ title: 'Secret Key Result A', measure: 'metric', start: 1, target: 9 }],
      })
      .expect(201);

    // A running pilot, whose active quarter can have a retrospective run (A's first pilot stays planned).
    const running = await createPilot(api.http, a.token, rollout.id, {
      name: 'Running Pilot A',
      levels: ['staff'],
    });
    await api.http
      .post(`/api/v1/pilots/${running.id}/participants`)
      .set(bearer(a.token))
      .send({ email: 'running.person@a.example', name: 'Running Person', level: 'staff' })
      .expect(201);
    const started = await api.http
      .post(`/api/v1/pilots/${running.id}/start`)
      .set(bearer(a.token))
      .expect(200);
    const retrospective = await api.http
      .post(`/api/v1/quarters/${started.body.currentQuarter.id}/retrospectives`)
      .set(bearer(a.token))
      .send({ anonymity: 'confidential' })
      .expect(201);
    // A named run, whose answers the coach reads with names (a confidential run refuses that route).
    const named = await createPilot(api.http, a.token, rollout.id, {
      name: 'Named Pilot A',
      levels: ['staff'],
    });
    await api.http
      .post(`/api/v1/pilots/${named.id}/participants`)
      .set(bearer(a.token))
      .send({ email: 'named.person@a.example', name: 'Named Person', level: 'staff' })
      .expect(201);
    const namedStarted = await api.http
      .post(`/api/v1/pilots/${named.id}/start`)
      .set(bearer(a.token))
      .expect(200);
    const namedRun = await api.http
      .post(`/api/v1/quarters/${namedStarted.body.currentQuarter.id}/retrospectives`)
      .set(bearer(a.token))
      .send({ anonymity: 'named' })
      .expect(201);
    ids.namedRetrospective = namedRun.body.id;
    secrets.push(named.id, namedRun.body.id, 'Named Pilot A', 'named.person@a.example', 'Named Person');
    const note = await api.http
      .post(`/api/v1/quarters/${quarters.body[0].id}/learning-notes`)
      .set(bearer(a.token))
      .send({ body: 'Secret Note A: the board wanted fewer objectives' })
      .expect(201);
    const webhook = await api.http
      .post('/api/v1/webhooks')
      .set(bearer(a.token))
      .send({
        url: 'https://hooks.a.example/secret-hook-a',
        events: ['report.ready'],
        description: 'Secret Hook A',
      })
      .expect(201);
    // Built reports are stored rows: the builders (worker jobs over a closed quarter's answers) are
    // tested in learning-report and readiness-report; here only their tenancy matters, so the rows are
    // written as the builders write them, with content of the same shape.
    const [learning] = await api.db.query(
      `INSERT INTO learning_report (workspace_id, organization_id, pilot_id, quarter_id, status, progress, content, requested_at, built_at)
       VALUES ($1, $2, $3, $4, 'ready', 100, $5, now(), now()) RETURNING id`,
      [
        a.id,
        organization.id,
        pilot.id,
        quarters.body[0].id,
        learningContent(
          {
            organizationId: organization.id,
            rolloutId: rollout.id,
            pilotId: pilot.id,
            quarterId: quarters.body[0].id,
          },
          { organization: 'Secret Org A', pilot: 'Secret Pilot A' },
        ),
      ],
    );
    const readinessBody = readinessContent(
      {
        organizationId: organization.id,
        rolloutId: rollout.id,
        learningReportId: learning.id,
        pilotId: pilot.id,
      },
      { organization: 'Secret Org A' },
    );
    const [readiness] = await api.db.query(
      `INSERT INTO readiness_report (workspace_id, organization_id, rollout_id, status, progress, verdict, content, built_at)
       VALUES ($1, $2, $3, 'ready', 100, $4, $5, now()) RETURNING id`,
      [a.id, organization.id, rollout.id, readinessBody.verdict, readinessBody],
    );
    const learningShare = await api.http
      .post(`/api/v1/learning-reports/${learning.id}/shares`)
      .set(bearer(a.token))
      .send({ audience: 'sponsor' })
      .expect(201);
    const readinessShare = await api.http
      .post(`/api/v1/readiness-reports/${readiness.id}/shares`)
      .set(bearer(a.token))
      .send({ audience: 'coach' })
      .expect(201);
    Object.assign(ids, {
      runningPilot: running.id,
      retrospective: retrospective.body.id,
      learningNote: note.body.id,
      webhook: webhook.body.id,
      learningReport: learning.id,
      readinessReport: readiness.id,
      reportShare: learningShare.body.id,
    });
    secrets.push(running.id, 'Running Pilot A', 'running.person@a.example', 'Running Person');
    secrets.push(started.body.currentQuarter.id, retrospective.body.id, note.body.id, 'Secret Note A');
    secrets.push(webhook.body.id, webhook.body.secret, 'hooks.a.example', 'Secret Hook A');
    secrets.push(learning.id, readiness.id, learningShare.body.id, readinessShare.body.id);
    secrets.push(new URL(learningShare.body.url).pathname, new URL(readinessShare.body.url).pathname);
    Object.assign(ids, {
      objective: objective.body.id,
      keyResult: objective.body.keyResults[0].id,
      organization: organization.id,
      hiddenOrganization: hidden.id,
      rollout: rollout.id,
      pilot: pilot.id,
      quarter: quarters.body[0].id,
      participant: participant.body.id,
      member: coach.id,
      sponsor: sponsor.id,
      sponsorToken: sponsor.token,
      heartbeat: beat.body.key,
      questionSet: questionSet.body.id,
    });
    secrets.push(
      a.id,
      a.email,
      organization.id,
      hidden.id,
      rollout.id,
      pilot.id,
      participant.body.id,
      coach.id,
      coach.email,
      sponsor.id,
    );
    secrets.push(
      'Secret Org A',
      'Hidden Org A2',
      'Secret Pilot A',
      'secret.person@a.example',
      'Secret Person',
      quarters.body[0].id,
    );
    secrets.push(questionSet.body.id, 'Secret Set A');
    secrets.push(ids.objective, ids.keyResult, 'Secret Objective A', 'Secret Key Result A');
    // What a participant said about the objective in the planning dialogue.
    ids.planningEntry = await seedPlanningEntry(api.db, ids.objective!, ids.participant!, 'Secret Comment A');
    secrets.push(ids.planningEntry, 'Secret Comment A');
  });
  afterAll(() => api.close());

  /** A concrete request for each operation: A's ids in the path, a valid body (so 404 cannot hide behind 422). */
  function requestFor(op: Operation): { url: string; body?: unknown; contentType?: string } {
    // A's record of each kind (support/openapi-walk), the named run for its answers (a confidential run
    // refuses that route), and a format that exists (an unknown one is a 404 of its own, whoever asks).
    const url = fillPath(
      op.path.replace(
        '/retrospectives/{id}/responses',
        `/retrospectives/${ids.namedRetrospective}/responses`,
      ),
      ids,
      'csv',
    );
    const key = `${op.method} ${op.path}`;
    const bodies: Record<string, unknown> = {
      'POST /api/v1/members': {
        email: 'new.sponsor@b.example',
        name: 'N',
        role: 'sponsor',
        organizationIds: [ids.organization],
      },
      'PATCH /api/v1/members/{id}': { name: 'Renamed' },
      'PUT /api/v1/members/{id}/organizations': { organizationIds: [] },
      'POST /api/v1/organizations': { name: 'B org', sector: 'company', headcount: 10 },
      'PATCH /api/v1/organizations/{id}': { name: 'Renamed' },
      'POST /api/v1/rollouts': {
        organizationId: ids.organization,
        goal: 'G',
        targetHeadcount: 10,
        plannedWaves: 1,
      },
      'PATCH /api/v1/rollouts/{id}': { goal: 'Renamed' },
      'POST /api/v1/rollouts/{id}/pilots': {
        name: 'P',
        waveNumber: 1,
        levels: ['staff'],
        startQuarter: '2027-Q1',
      },
      'PATCH /api/v1/pilots/{id}': { name: 'Renamed' },
      'POST /api/v1/pilots/{id}/extend': { quarters: 1 },
      'POST /api/v1/pilots/{id}/participants': { email: 'x@b.example', name: 'X', level: 'staff' },
      'PATCH /api/v1/participants/{id}': { name: 'Renamed' },
      'PUT /api/v1/templates/{name}/{locale}': { subject: 'Hei {{recipient.firstName}}', body: '<p>Hei</p>' },
      'PUT /api/v1/pilots/{id}/cadence': {
        steps: [
          {
            key: 'kickoff',
            kind: 'prompt',
            anchor: 'start',
            offsetDays: 0,
            sendTime: '09:00',
            template: 'prompt-kickoff',
            audience: 'participants',
          },
        ],
      },
      'POST /api/v1/templates/preview': { name: 'prompt-kickoff', locale: 'fi' },
      'POST /api/v1/question-sets': { name: 'B set', copyOf: ids.questionSet },
      'PUT /api/v1/question-sets/{id}': { name: 'Renamed' },
      'POST /api/v1/quarters/{id}/objectives': { title: 'B objective' },
      'POST /api/v1/quarters/{id}/carry-over': {
        decisions: [{ objectiveId: ids.objective, action: 'keep' }],
      },
      'PATCH /api/v1/objectives/{id}': { title: 'Renamed' },
      'POST /api/v1/objectives/{id}/key-results': { title: 'B result', measure: 'binary' },
      'PATCH /api/v1/key-results/{id}': { current: 5, confidence: 6 },
      'POST /api/v1/key-results/{id}/score': { score: 0.5 },
      'POST /api/v1/quarters/{id}/learning-notes': { body: 'B note' },
      'PATCH /api/v1/learning-notes/{id}': { forNextWave: true },
      'POST /api/v1/quarters/{id}/retrospectives': { anonymity: 'anonymous' },
      'POST /api/v1/learning-reports/{id}/shares': { audience: 'coach' },
      'POST /api/v1/readiness-reports/{id}/shares': { audience: 'coach' },
      'POST /api/v1/readiness-reports/{id}/decision': { decision: 'go', reason: 'B decides for A' },
      'POST /api/v1/webhooks': { url: 'https://hooks.b.example/x', events: ['report.ready'] },
    };
    if (key === 'POST /api/v1/pilots/{id}/participants/import') {
      return { url, body: 'email,name,level\nx@b.example,X,staff\n', contentType: 'text/csv' };
    }
    if (key === 'POST /api/v1/quarters/{id}/objectives/import') {
      return {
        url,
        body: 'objective,key_result,measure\nB objective,B result,binary\n',
        contentType: 'text/csv',
      };
    }
    return { url, body: bodies[key] ?? (['POST', 'PATCH', 'PUT'].includes(op.method) ? {} : undefined) };
  }

  function send(op: Operation, token: string) {
    const { url, body, contentType } = requestFor(op);
    const req = api.http[op.method.toLowerCase() as 'get'](url).set(bearer(token));
    if (contentType) req.set('Content-Type', contentType);
    return body === undefined ? req : req.send(body as object);
  }

  /** A's records with ids in the walk, as A left them: nothing deleted, closed, revoked or decided. */
  async function expectAUntouched() {
    const get = (url: string) => api.http.get(url).set(bearer(a.token)).expect(200);
    expect((await get(`/api/v1/retrospectives/${ids.retrospective}`)).body).toMatchObject({ state: 'open' });
    const notes = (await get(`/api/v1/quarters/${ids.quarter}/learning-notes`)).body;
    expect(notes.map((n: { id: string }) => n.id)).toEqual([ids.learningNote]);
    expect(notes[0].forNextWave).toBe(false);
    const hooks = (await get('/api/v1/webhooks')).body.items;
    expect(hooks.map((h: { id: string }) => h.id)).toEqual([ids.webhook]);
    const shares = (await get(`/api/v1/learning-reports/${ids.learningReport}/shares`)).body;
    expect(shares).toEqual([expect.objectContaining({ id: ids.reportShare, status: 'active' })]);
    expect((await get(`/api/v1/rollouts/${ids.rollout}/decisions`)).body.total).toBe(0);
    expect((await get(`/api/v1/readiness-reports/${ids.readinessReport}`)).body).toMatchObject({
      status: 'ready',
    });
  }

  const leaks = (text: string) => secrets.filter((secret) => text.includes(secret));

  it('serves exactly the OpenAPI operations plus a named list of pages outside the API', async () => {
    const documented = (await operations(api)).map((op) => `${op.method} ${op.path}`);
    // The console's pages (/app) are walked by crawling them as members: test/console-tenancy.
    const served = servedRoutes(api).filter((route) => !/^\w+ \/app(\/|$)/.test(route));
    // Equal both ways: nothing served that is neither documented nor listed, nothing stale listed.
    expect(served).toEqual([...documented, ...Object.keys(NOT_IN_OPENAPI)].sort());
    expect(Object.keys(NOT_IN_OPENAPI).filter((route) => documented.includes(route))).toEqual([]);
    expect(documented.length).toBeGreaterThanOrEqual(100);
  });

  it("resolves every path parameter of the walk to one of A's records, which A itself can read", async () => {
    const ops = await operations(api);
    const unresolved = ops.map((op) => requestFor(op).url).filter((url) => /[{}]/.test(url));
    expect(unresolved).toEqual([]);
    // So that B's 404s below are about tenancy: with A's token, every parametrised read finds its record.
    const reads = ops.filter((op) => op.method === 'GET' && /\{/.test(op.path));
    expect(reads.length).toBeGreaterThanOrEqual(30);
    const statuses = [];
    for (const op of reads) statuses.push({ key: op.path, status: (await send(op, a.token)).status });
    expect(statuses).toEqual(reads.map((op) => ({ key: op.path, status: 200 })));
    // The records that only have writes (revoke a share, delete a note) are in A's lists.
    const notes = await api.http.get(`/api/v1/quarters/${ids.quarter}/learning-notes`).set(bearer(a.token));
    expect(notes.body.map((n: { id: string }) => n.id)).toContain(ids.learningNote);
  });

  it("walks every route with a second workspace's token: 404 for A's records, and no A data anywhere", async () => {
    // Logging out revokes the token, so it goes last.
    const ops = (await operations(api))
      .filter((op) => !PUBLIC.includes(`${op.method} ${op.path}`))
      .sort((x, y) => ENDS_SESSION(x.path) - ENDS_SESSION(y.path));
    expect(ops.length).toBeGreaterThanOrEqual(30);
    const seen: string[] = [];
    expect(ops.length).toBeGreaterThanOrEqual(100);
    for (const op of ops) {
      const key = `${op.method} ${op.path}`;
      // Every path parameter is one of A's real records: a literal `{id}` would 404 for anyone.
      expect({ key, url: requestFor(op).url }).toEqual({ key, url: expect.not.stringMatching(/[{}]/) });
      const res = await send(op, b.token);
      seen.push(`${key} → ${res.status}`);
      // `instance` of a problem repeats the caller's own URL; everything else must be free of A's data.
      const { instance: _, ...rest } = res.body ?? {};
      expect({ key, leaks: leaks(JSON.stringify(rest) + JSON.stringify(res.headers)) }).toEqual({
        key,
        leaks: [],
      });
      expect({ key, status: res.status }).toEqual({ key, status: expect.any(Number) });
      if (/\{(id|key|participantId)\}/.test(op.path)) {
        expect({ key, status: res.status }).toEqual({ key, status: 404 });
      } else if (key === 'POST /api/v1/rollouts') {
        expect({ key, status: res.status }).toEqual({ key, status: 404 });
      } else if (key === 'POST /api/v1/members') {
        expect({ key, status: res.status }).toEqual({ key, status: 422 });
      } else {
        expect({ key, status: res.status }).toEqual({ key, status: expect.any(Number) });
        expect(res.status).toBeLessThan(500);
        if (op.method === 'GET' && res.body.items)
          expect({
            key,
            items: res.body.items.filter((i: { workspaceId?: string }) => i.workspaceId === a.id),
          }).toEqual({ key, items: [] });
      }
    }
    // A's records are untouched by all of it.
    const a1 = await api.http.get(`/api/v1/pilots/${ids.pilot}`).set(bearer(a.token)).expect(200);
    expect(a1.body).toMatchObject({ name: 'Secret Pilot A', state: 'planned' });
    await api.http.get(`/api/v1/participants/${ids.participant}`).set(bearer(a.token)).expect(200);
    await api.http
      .get(`/api/v1/organizations/${ids.organization}`)
      .set(bearer(a.token))
      .expect(200)
      .expect((r) => expect(r.body.name).toBe('Secret Org A'));
    await api.http
      .get(`/api/v1/members/${ids.member}`)
      .set(bearer(a.token))
      .expect(200)
      .expect((r) => expect(r.body.name).toBe('A coach'));
    await api.http
      .get(`/api/v1/objectives/${ids.objective}`)
      .set(bearer(a.token))
      .expect(200)
      .expect((r) =>
        expect(r.body).toMatchObject({ title: 'Secret Objective A', keyResults: [{ current: null }] }),
      );
    await expectAUntouched();
    expect(seen.length).toBe(ops.length);
  });

  it('refuses every write of a sponsor, and hides what it is not granted', async () => {
    const token = ids.sponsorToken;
    const writes = (await operations(api)).filter(
      (op) =>
        op.method !== 'GET' &&
        !PUBLIC.includes(`${op.method} ${op.path}`) &&
        !OPERATOR.includes(`${op.method} ${op.path}`) &&
        !OWN_ACCOUNT.includes(op.path) &&
        // The one write that is a sponsor's: recording the decision (tested in readiness-report).
        !SPONSOR_WRITES.includes(`${op.method} ${op.path}`),
    );
    expect(writes.length).toBeGreaterThanOrEqual(20);
    for (const op of writes) {
      const res = await send(op, token);
      expect({ key: `${op.method} ${op.path}`, status: res.status }).toEqual({
        key: `${op.method} ${op.path}`,
        status: 403,
      });
    }
    // Reads: the granted organization and what hangs off it, nothing else, and no personal data.
    await api.http.get(`/api/v1/organizations/${ids.organization}`).set(bearer(token)).expect(200);
    await api.http.get(`/api/v1/organizations/${ids.hiddenOrganization}`).set(bearer(token)).expect(404);
    const list = await api.http.get('/api/v1/organizations').set(bearer(token)).expect(200);
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([ids.organization]);
    await api.http.get(`/api/v1/rollouts/${ids.rollout}`).set(bearer(token)).expect(200);
    await api.http.get(`/api/v1/pilots/${ids.pilot}`).set(bearer(token)).expect(200);
    await api.http.get(`/api/v1/quarters/${ids.quarter}`).set(bearer(token)).expect(200);
    await api.http.get(`/api/v1/quarters/${ids.quarter}/objectives`).set(bearer(token)).expect(200);
    await api.http.get(`/api/v1/quarters/${ids.quarter}/practice-signals`).set(bearer(token)).expect(200);
    await api.http.get(`/api/v1/objectives/${ids.objective}`).set(bearer(token)).expect(200);
    await api.http.get(`/api/v1/key-results/${ids.keyResult}`).set(bearer(token)).expect(200);
    await api.http.get(`/api/v1/pilots/${ids.pilot}/participants`).set(bearer(token)).expect(403);
    await api.http.get(`/api/v1/participants/${ids.participant}`).set(bearer(token)).expect(403);
    await api.http.get('/api/v1/members').set(bearer(token)).expect(403);
    await api.http.get('/api/v1/audit-log').set(bearer(token)).expect(403);
    const me = await api.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);
    expect(me.body).toMatchObject({ role: 'sponsor', organizationIds: [ids.organization] });
    // Nothing the sponsor tried changed the pilot, or anything else of A's.
    const pilot = await api.http.get(`/api/v1/pilots/${ids.pilot}`).set(bearer(a.token)).expect(200);
    expect(pilot.body).toMatchObject({ name: 'Secret Pilot A', state: 'planned' });
    await expectAUntouched();
  });

  it('lets coaches work but keeps member management and the audit log to owners', async () => {
    const coach = await addMember(api.http, a, 'coach');
    await api.http
      .post('/api/v1/members')
      .set(bearer(coach.token))
      .send({ email: 'x@a.example', name: 'X', role: 'coach' })
      .expect(403);
    await api.http.get('/api/v1/audit-log').set(bearer(coach.token)).expect(403);
    await api.http.post('/api/v1/heartbeats').set(bearer(coach.token)).expect(403);
    await api.http
      .patch(`/api/v1/pilots/${ids.pilot}`)
      .set(bearer(coach.token))
      .send({ name: 'Secret Pilot A' })
      .expect(200);
  });
});
