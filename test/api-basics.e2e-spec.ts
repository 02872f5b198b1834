import { startApi, TestApi } from './support/api';
import { bearer, createOrganization, invitationToken, PASSWORD, signUp, Workspace } from './support/fixtures';
import { spawnApp, killAll, waitFor } from './support/processes';

describe('API basics: health, errors, auth', () => {
  let api: TestApi;
  let owner: Workspace;

  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http);
  });
  afterAll(async () => {
    killAll();
    await api.close();
  });

  it('reports Postgres and Redis up on /health, with security headers and a request id', async () => {
    const res = await api.http.get('/health').expect(200);
    expect(res.body.info.database.status).toBe('up');
    expect(res.body.info.redis.status).toBe('up');
    // No worker runs in this test: the API still serves, and says the worker is silent.
    expect(res.body.status).toBe('degraded');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await api.http.get('/health').set('X-Request-Id', 'trace-12345678').expect(200);
    expect(echoed.headers['x-request-id']).toBe('trace-12345678');
  });

  it('answers 401 problem+json without a token, or with a wrong one', async () => {
    for (const headers of [{}, bearer('lat_not-a-real-token'), { Authorization: 'Basic abc' }]) {
      const res = await api.http.get('/api/v1/organizations').set(headers).expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        instance: '/api/v1/organizations',
      });
    }
  });

  it('names every bad field, rejects unknown fields, and stores nothing', async () => {
    const res = await api.http
      .post('/api/v1/organizations')
      .set(bearer(owner.token))
      .send({ name: '', sector: 'military', headcount: -1, defaultLocale: 'de', color: 'blue' })
      .expect(422);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['color', 'defaultLocale', 'headcount', 'name', 'sector']));
    expect(res.body.errors.find((e: { field: string }) => e.field === 'color').reason).toMatch(
      /should not exist/,
    );
    const list = await api.http.get('/api/v1/organizations').set(bearer(owner.token)).expect(200);
    expect(list.body.total).toBe(0);

    const zone = await api.http
      .post('/api/v1/organizations')
      .set(bearer(owner.token))
      .send({ name: 'X', sector: 'company', headcount: 5, timeZone: 'Europe/Atlantis' })
      .expect(422);
    expect(zone.body.errors).toEqual([
      { field: 'timeZone', reason: 'not an IANA time zone: Europe/Atlantis' },
    ]);
  });

  it('answers malformed JSON with 400 and a non-UUID id with 404, never 5xx', async () => {
    const malformed = await api.http
      .post('/api/v1/organizations')
      .set(bearer(owner.token))
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(malformed.body.detail).toMatch(/not valid JSON/);
    await api.http.get('/api/v1/pilots/not-a-uuid').set(bearer(owner.token)).expect(404);
    await api.http.get('/api/v1/organizations?limit=1000').set(bearer(owner.token)).expect(422);
    await api.http.get('/api/v1/nothing-here').set(bearer(owner.token)).expect(404);
  });

  it('paginates lists', async () => {
    for (let i = 0; i < 5; i++) await createOrganization(api.http, owner.token, { name: `Org ${i}` });
    const page = await api.http
      .get('/api/v1/organizations?limit=2&offset=2')
      .set(bearer(owner.token))
      .expect(200);
    expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 2 });
    expect(page.body.items.map((o: { name: string }) => o.name)).toEqual(['Org 2', 'Org 3']);
  });

  it('logs in with the right password only, and logs out', async () => {
    await api.http
      .post('/api/v1/auth/login')
      .send({ email: owner.email, password: 'wrong password!!' })
      .expect(401);
    await api.http
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.fi', password: PASSWORD })
      .expect(401);
    const login = await api.http
      .post('/api/v1/auth/login')
      .send({ email: owner.email, password: PASSWORD })
      .expect(200);
    expect(login.body.accessToken).toMatch(/^lat_[A-Za-z0-9_-]{43}$/);
    // Tokens are stored only as digests: the SHA-256 matches one row, the token itself appears in none.
    const [digest] = await api.db.query(
      `SELECT count(*)::int AS n FROM credential_token WHERE token_hash = sha256(convert_to($1, 'UTF8'))`,
      [login.body.accessToken],
    );
    expect(digest.n).toBe(1);
    const [raw] = await api.db.query(
      `SELECT count(*)::int AS n FROM credential_token t WHERE t::text LIKE '%' || $1 || '%'`,
      [login.body.accessToken.slice(4)],
    );
    expect(raw.n).toBe(0);
    await api.http.post('/api/v1/auth/logout').set(bearer(login.body.accessToken)).expect(204);
    await api.http.get('/api/v1/auth/me').set(bearer(login.body.accessToken)).expect(401);
    await api.http.get('/api/v1/auth/me').set(bearer(owner.token)).expect(200);
  });

  it('makes no second workspace for an email already in use, and says so to no one but its owner', async () => {
    const res = await api.http
      .post('/api/v1/workspaces')
      .send({ workspaceName: 'Copy', email: owner.email, name: 'X', password: PASSWORD })
      .expect(202);
    expect(res.body.status).toBe('check_your_mail');
    const [copies] = await api.db.query(`SELECT count(*)::int AS n FROM workspace WHERE name = 'Copy'`);
    expect(copies.n).toBe(0);
  });

  it('accepts an invitation once, and keeps the last owner', async () => {
    const invited = await api.http
      .post('/api/v1/members')
      .set(bearer(owner.token))
      .send({ email: 'new.coach@example.fi', name: 'New Coach', role: 'coach' })
      .expect(201);
    expect(invited.body.member).not.toHaveProperty('passwordHash');
    // The link goes to the invited address only.
    expect(invited.body).not.toHaveProperty('invitationToken');
    const token = await invitationToken(api.http, invited.body.member.id);
    await api.http.post('/api/v1/auth/invitations/accept').send({ token, password: 'short' }).expect(422);
    await api.http.post('/api/v1/auth/invitations/accept').send({ token, password: PASSWORD }).expect(200);
    await api.http.post('/api/v1/auth/invitations/accept').send({ token, password: PASSWORD }).expect(422);
    await api.http
      .post('/api/v1/auth/login')
      .send({ email: 'new.coach@example.fi', password: PASSWORD })
      .expect(200);

    await api.http
      .patch(`/api/v1/members/${owner.ownerId}`)
      .set(bearer(owner.token))
      .send({ role: 'coach' })
      .expect(409);
    await api.http.delete(`/api/v1/members/${owner.ownerId}`).set(bearer(owner.token)).expect(409);
  });

  it('queues a heartbeat that a worker consumes', async () => {
    const beat = await api.http.post('/api/v1/heartbeats').set(bearer(owner.token)).expect(202);
    expect(beat.body.processedAt).toBeNull();
    const worker = spawnApp('worker', { ...api.env, HEARTBEAT_EVERY_MS: '3600000' });
    await waitFor(
      async () => {
        const res = await api.http.get(`/api/v1/heartbeats/${beat.body.key}`).set(bearer(owner.token));
        return res.body.processedAt !== null;
      },
      30_000,
      () => worker.output().slice(-2000),
    );
    const health = await api.http.get('/health').expect(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.info.worker.status).toBe('up');
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  });

  it('refuses to start with a wrong variable, naming it', async () => {
    const bad = spawnApp('api', { PORT: 'eighty', DATABASE_URL: 'mysql://localhost/x' });
    const exit = await bad.exited;
    expect(exit.code).toBe(1);
    expect(bad.output()).toMatch(/Invalid configuration: .*PORT/);
    expect(bad.output()).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    const worker = spawnApp('worker', { REDIS_URL: 'http://x' });
    expect((await worker.exited).code).toBe(1);
    expect(worker.output()).toMatch(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it('limits requests per address on participant pages, answering with a page', async () => {
    const limited = await startApi({ env: { PARTICIPANT_PAGE_RATE_PER_MINUTE: '3' } });
    try {
      for (const page of ['u', 'r', 'c', 's'].map((p) => `/${p}/${p}_${'x'.repeat(43)}`)) {
        const answers = [];
        for (let i = 0; i < 4; i++) answers.push(await limited.http.get(page));
        expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 429]);
        expect(answers[3].headers['content-type']).toMatch(/text\/html/);
        expect(answers[3].text).toContain('Liian monta pyyntöä');
      }
      // The API itself is not limited this way.
      await limited.http.get('/health').expect(200);
    } finally {
      await limited.close();
    }
  });
});
