import { JobProducer, QUEUE_NAMES, QueueName } from '@luotsi/queue';
import { startApi, TestApi } from './support/api';
import { addMember, bearer, signUp, Workspace } from './support/fixtures';

/** Bull Board at /admin/queues: owners only, by bearer header or by the board cookie; read-only. */
describe('queue board', () => {
  let api: TestApi;
  let owner: Workspace;
  let coach: { token: string };
  let sponsor: { token: string };

  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http);
    coach = await addMember(api.http, owner, 'coach');
    sponsor = await addMember(api.http, owner, 'sponsor');
  });
  afterAll(() => api.close());

  it('shows the board to an owner, with every queue of the catalogue', async () => {
    const page = await api.http.get('/admin/queues').set(bearer(owner.token)).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<title>Luotsi queues</title>');
    expect(page.text).toContain('<base href="/admin/queues/"');

    const queues = await api.http.get('/admin/queues/api/queues').set(bearer(owner.token)).expect(200);
    const names = queues.body.queues.map((q: { name: string }) => q.name).sort();
    expect(names).toEqual([...QUEUE_NAMES].sort());
    expect(queues.body.queues.every((q: { readOnlyMode: boolean }) => q.readOnlyMode)).toBe(true);
  });

  it('refuses coaches and sponsors (403), and anyone without a valid token (401)', async () => {
    await api.http.get('/admin/queues').set(bearer(coach.token)).expect(403);
    await api.http.get('/admin/queues/api/queues').set(bearer(sponsor.token)).expect(403);
    const none = await api.http.get('/admin/queues').expect(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.body).toMatchObject({ status: 401 });
    await api.http.get('/admin/queues/api/queues').expect(401);
    await api.http.get('/admin/queues').set(bearer('at_not-a-real-token')).expect(401);
    await api.http.get('/admin/queues').set('Cookie', 'luotsi_queue_board=at_forged').expect(401);
  });

  it('opens in a browser through an HttpOnly, SameSite=Strict cookie scoped to the board', async () => {
    const session = await api.http.post('/admin/session').set(bearer(owner.token)).expect(204);
    const cookie = String(session.headers['set-cookie']);
    expect(cookie).toMatch(/^luotsi_queue_board=[^;]+;/);
    expect(cookie).toMatch(/Path=\/admin\/queues/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    const pair = cookie.split(';')[0];
    await api.http.get('/admin/queues').set('Cookie', pair).expect(200);
    await api.http.get('/admin/queues/api/queues').set('Cookie', `other=1; ${pair}`).expect(200);

    await api.http.post('/admin/session').set(bearer(coach.token)).expect(403);
    await api.http.post('/admin/session').expect(401);
    // Logging out revokes the token, and with it the board session.
    const second = await addMember(api.http, owner, 'owner');
    const theirs = await api.http.post('/admin/session').set(bearer(second.token)).expect(204);
    const theirPair = String(theirs.headers['set-cookie']).split(';')[0];
    await api.http.get('/admin/queues').set('Cookie', theirPair).expect(200);
    await api.http.post('/api/v1/auth/logout').set(bearer(second.token)).expect(204);
    await api.http.get('/admin/queues').set('Cookie', theirPair).expect(401);
  });

  it('changes nothing: actions on a queue are refused', async () => {
    const res = await api.http
      .put(`/admin/queues/api/queues/${QueueName.Maintenance}/pause`)
      .set(bearer(owner.token));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await api.app.get(JobProducer).queue(QueueName.Maintenance).isPaused()).toBe(false);
  });

  it('marks the cookie Secure where the public URL is https', async () => {
    const secure = await startApi({ env: { PUBLIC_BASE_URL: 'https://luotsi.example.fi' } });
    try {
      const boss = await signUp(secure.http);
      const session = await secure.http.post('/admin/session').set(bearer(boss.token)).expect(204);
      expect(String(session.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });
});
