import { startApi, TestApi } from './support/api';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  Workspace,
} from './support/fixtures';

type Operation = { method: string; path: string; public: boolean };

/** Every operation of the OpenAPI document, so a new route cannot escape these walks. */
async function operations(api: TestApi): Promise<Operation[]> {
  const doc = (await api.http.get('/docs-json').expect(200)).body;
  return Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[] }>>).flatMap(
    ([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, public: !op.security })),
  );
}

const PUBLIC = [
  'POST /api/v1/workspaces',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/invitations/accept',
  'GET /health',
];

const SPONSOR_WRITES = ['POST /api/v1/readiness-reports/{id}/decision'];

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
  });
  afterAll(() => api.close());

  /** A concrete request for each operation: A's ids in the path, a valid body (so 404 cannot hide behind 422). */
  function requestFor(op: Operation): { url: string; body?: unknown; contentType?: string } {
    const url = op.path
      .replace('/members/{id}', `/members/${ids.member}`)
      .replace('/organizations/{id}', `/organizations/${ids.organization}`)
      .replace('/rollouts/{id}', `/rollouts/${ids.rollout}`)
      .replace('/pilots/{id}', `/pilots/${ids.pilot}`)
      .replace('/quarters/{id}', `/quarters/${ids.quarter}`)
      .replace('/participants/{id}', `/participants/${ids.participant}`)
      .replace('{participantId}', ids.participant)
      .replace('/heartbeats/{key}', `/heartbeats/${ids.heartbeat}`)
      .replace('/templates/{name}/{locale}', '/templates/prompt-kickoff/fi')
      .replace('/question-sets/{id}', `/question-sets/${ids.questionSet}`)
      .replace('/objectives/{id}', `/objectives/${ids.objective}`)
      .replace('/key-results/{id}', `/key-results/${ids.keyResult}`);
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

  const leaks = (text: string) => secrets.filter((secret) => text.includes(secret));

  it("walks every route with a second workspace's token: 404 for A's records, and no A data anywhere", async () => {
    // Logging out revokes the token, so it goes last.
    const ops = (await operations(api))
      .filter((op) => !PUBLIC.includes(`${op.method} ${op.path}`))
      .sort((x, y) => Number(x.path === '/api/v1/auth/logout') - Number(y.path === '/api/v1/auth/logout'));
    expect(ops.length).toBeGreaterThanOrEqual(30);
    const seen: string[] = [];
    for (const op of ops) {
      const res = await send(op, b.token);
      const key = `${op.method} ${op.path}`;
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
    expect(seen.length).toBe(ops.length);
  });

  it('refuses every write of a sponsor, and hides what it is not granted', async () => {
    const token = ids.sponsorToken;
    const writes = (await operations(api)).filter(
      (op) =>
        op.method !== 'GET' &&
        !PUBLIC.includes(`${op.method} ${op.path}`) &&
        op.path !== '/api/v1/auth/logout' &&
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
    // Nothing the sponsor tried changed the pilot.
    const pilot = await api.http.get(`/api/v1/pilots/${ids.pilot}`).set(bearer(a.token)).expect(200);
    expect(pilot.body).toMatchObject({ name: 'Secret Pilot A', state: 'planned' });
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
