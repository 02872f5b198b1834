import { randomBytes } from 'node:crypto';
import { JobProducer, QUEUE_NAMES, QueueName } from '@luotsi/queue';
import { OperatorAccess, QUEUE_BOARD_SESSION_MS } from '../apps/api/src/queue-board/queue-board-access';
import { startApi, TestApi } from './support/api';
import { addMember, bearer, signUp, Workspace } from './support/fixtures';

const operatorToken = () => randomBytes(24).toString('base64url');

/**
 * Bull Board at /admin/queues shows the queues every workspace shares, so it is the operator's alone:
 * OPERATOR_TOKEN by bearer header or by the board cookie; never a workspace's token; closed without
 * OPERATOR_TOKEN; read-only.
 */
describe('queue board', () => {
  const OPERATOR_TOKEN = operatorToken();
  let api: TestApi;
  let owner: Workspace;
  let coach: { token: string };
  let sponsor: { token: string };

  beforeAll(async () => {
    api = await startApi({ env: { OPERATOR_TOKEN } });
    owner = await signUp(api.http);
    coach = await addMember(api.http, owner, 'coach');
    sponsor = await addMember(api.http, owner, 'sponsor');
  });
  afterAll(() => api.close());

  it('shows the board to the operator, with every queue of the catalogue', async () => {
    const page = await api.http.get('/admin/queues').set(bearer(OPERATOR_TOKEN)).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<title>Luotsi queues</title>');
    expect(page.text).toContain('<base href="/admin/queues/"');

    const queues = await api.http.get('/admin/queues/api/queues').set(bearer(OPERATOR_TOKEN)).expect(200);
    const names = queues.body.queues.map((q: { name: string }) => q.name).sort();
    expect(names).toEqual([...QUEUE_NAMES].sort());
    expect(queues.body.queues.every((q: { readOnlyMode: boolean }) => q.readOnlyMode)).toBe(true);
  });

  it("refuses every workspace's token, owners' too (403): the queues hold all workspaces' jobs", async () => {
    const other = await signUp(api.http);
    for (const token of [owner.token, coach.token, sponsor.token, other.token]) {
      const page = await api.http.get('/admin/queues').set(bearer(token)).expect(403);
      expect(page.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(page.body).toMatchObject({ status: 403, detail: expect.stringContaining('OPERATOR_TOKEN') });
      await api.http.get('/admin/queues/api/queues').set(bearer(token)).expect(403);
      const session = await api.http.post('/admin/session').set(bearer(token)).expect(403);
      expect(session.headers['set-cookie']).toBeUndefined();
      expect(session.body).toMatchObject({ status: 403, detail: expect.stringContaining('OPERATOR_TOKEN') });
    }
  });

  it('refuses anyone without the operator token or a live board session (401)', async () => {
    const none = await api.http.get('/admin/queues').expect(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.body).toMatchObject({ status: 401 });
    expect(JSON.stringify(none.body)).not.toContain(OPERATOR_TOKEN);
    await api.http.get('/admin/queues/api/queues').expect(401);
    await api.http.get('/admin/queues').set(bearer('at_not-a-real-token')).expect(401);
    await api.http
      .get('/admin/queues')
      .set(bearer(`${OPERATOR_TOKEN}x`))
      .expect(401);
    await api.http
      .get('/admin/queues')
      .set(bearer(OPERATOR_TOKEN.slice(0, -1)))
      .expect(401);
    // Forged cookies: made up, the operator token itself, an owner's token (the old board cookie).
    const forged = `${Date.now() + 3_600_000}.${'A'.repeat(43)}`;
    for (const value of ['at_forged', forged, OPERATOR_TOKEN, owner.token])
      await api.http.get('/admin/queues').set('Cookie', `luotsi_queue_board=${value}`).expect(401);
    // A session past its 12 hours.
    const expired = api.app.get(OperatorAccess).newSession(Date.now() - QUEUE_BOARD_SESSION_MS - 1000);
    await api.http.get('/admin/queues').set('Cookie', `luotsi_queue_board=${expired}`).expect(401);

    await api.http.post('/admin/session').expect(401);
    await api.http.post('/admin/session').set(bearer('at_not-a-real-token')).expect(401);
    const wrong = await api.http
      .post('/admin/session')
      .set(bearer(`${OPERATOR_TOKEN}x`))
      .expect(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('opens in a browser through an HttpOnly, SameSite=Strict cookie scoped to the board', async () => {
    const session = await api.http.post('/admin/session').set(bearer(OPERATOR_TOKEN)).expect(204);
    const cookie = String(session.headers['set-cookie']);
    expect(cookie).toMatch(/^luotsi_queue_board=[^;]+;/);
    expect(cookie).toMatch(/Path=\/admin\/queues/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    // The cookie holds a signed session, never the operator token.
    expect(cookie).not.toContain(OPERATOR_TOKEN);
    const pair = cookie.split(';')[0];
    await api.http.get('/admin/queues').set('Cookie', pair).expect(200);
    await api.http.get('/admin/queues/api/queues').set('Cookie', `other=1; ${pair}`).expect(200);
    // A workspace token beside the session changes nothing: the session is the operator's.
    await api.http.get('/admin/queues').set('Cookie', pair).set(bearer(owner.token)).expect(200);
  });

  it('changes nothing: actions on a queue are refused', async () => {
    const res = await api.http
      .put(`/admin/queues/api/queues/${QueueName.Maintenance}/pause`)
      .set(bearer(OPERATOR_TOKEN));
    // Refused by the board's read-only mode, not by the gate: the operator got in.
    expect(res.status).toBe(405);
    expect(res.text).toContain('QUEUE_READ_ONLY');
    expect(await api.app.get(JobProducer).queue(QueueName.Maintenance).isPaused()).toBe(false);
  });

  it("marks the cookie Secure where the public URL is https; another operator token's session is refused", async () => {
    const secure = await startApi({
      env: { PUBLIC_BASE_URL: 'https://luotsi.example.fi', OPERATOR_TOKEN: operatorToken() },
    });
    try {
      const session = await secure.http
        .post('/admin/session')
        .set(bearer(secure.env.OPERATOR_TOKEN))
        .expect(204);
      const cookie = String(session.headers['set-cookie']);
      expect(cookie).toMatch(/; Secure/);
      // Changing OPERATOR_TOKEN ends every session made with the old one.
      await api.http.get('/admin/queues').set('Cookie', cookie.split(';')[0]).expect(401);
    } finally {
      await secure.close();
    }
  });

  it('is closed (404) without OPERATOR_TOKEN, for every token', async () => {
    const closed = await startApi();
    try {
      const boss = await signUp(closed.http);
      for (const headers of [{}, bearer(boss.token), bearer(OPERATOR_TOKEN)]) {
        const page = await closed.http.get('/admin/queues').set(headers).expect(404);
        expect(page.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(page.body).toMatchObject({ status: 404 });
        await closed.http.get('/admin/queues/api/queues').set(headers).expect(404);
        const session = await closed.http.post('/admin/session').set(headers).expect(404);
        expect(session.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(session.headers['set-cookie']).toBeUndefined();
      }
    } finally {
      await closed.close();
    }
  });
});
