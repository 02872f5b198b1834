import type { DataSource } from 'typeorm';
import { WorkspaceService } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { ConsoleClient, csrfOf } from './support/console';
import { bearer, PASSWORD, unique } from './support/fixtures';

/**
 * The console's door against a real API: sign-up, sign-in and sign-out by cookie, the session's token
 * rotated and revoked, CSRF and cross-origin refusals that change nothing, and the language remembered.
 */
describe('console sessions', () => {
  let api: TestApi;
  let db: DataSource;

  beforeAll(async () => {
    api = await startApi();
    db = api.db;
  });
  afterAll(() => api.close());

  const sessionCookie = (res: { headers: Record<string, unknown> }) =>
    ([] as string[])
      .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
      .find((cookie) => cookie.startsWith('luotsi_session='));
  const members = async (email: string) =>
    Number((await db.query(`SELECT count(*) FROM member WHERE email = $1`, [email]))[0].count);

  it('sends a visitor without a session to sign-in and back to where they were going', async () => {
    const res = await api.http.get('/app?view=today').expect(303);
    expect(res.headers.location).toBe(`/app/sign-in?next=${encodeURIComponent('/app?view=today')}`);
    const page = await api.http.get('/app/sign-in').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('<form method="post" action="/app/sign-in"');
  });

  it('signs up with a session cookie that is HttpOnly, SameSite=Lax and scoped to /app', async () => {
    const client = new ConsoleClient(api);
    const fields = { email: `${unique('coach-')}@example.fi` };
    const shown = await client.get('/app/sign-up').expect(200);
    const res = await client.agent
      .post('/app/sign-up')
      .type('form')
      .send({
        workspaceName: 'Pilotti Oy',
        name: 'Aino Virtanen',
        password: PASSWORD,
        ...fields,
        _csrf: csrfOf(shown.text),
      })
      .expect(303);
    // Sign-up says "check your mail" whether or not the address has an account; the mailed link signs in.
    expect(res.headers.location).toBe('/app/check-mail');
    expect(sessionCookie(res)).toBeUndefined();
    await client.get('/app/check-mail').expect(200);
    const link = await api.app.get(WorkspaceService).issueConfirmation(fields.email);
    const page = await client.get(`/app/confirm/${link}`).expect(200);
    expect(sessionCookie(page)).toBeUndefined(); // opening the link alone (a mail scanner) signs no one in
    const confirmed = await client.agent
      .post(`/app/confirm/${link}`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    expect(confirmed.headers.location).toBe('/app');
    const cookie = sessionCookie(confirmed)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/app/);
    expect(cookie).not.toMatch(/Secure/); // not production
    const home = await client.get('/app').expect(200);
    expect(home.text).toContain('Aino Virtanen');
    // The token in the cookie is stored only as its digest.
    const token = /luotsi_session=([^;]+)/.exec(cookie)![1];
    const stored = await db.query(
      `SELECT count(*) FROM credential_token WHERE token_hash = sha256($1::bytea)`,
      [Buffer.from(token)],
    );
    expect(Number(stored[0].count)).toBe(1);
    // The JSON API does not accept the cookie: only a bearer header.
    await client.agent.get('/api/v1/auth/me').expect(401);
    await api.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);
  });

  it('refuses a form without its CSRF token, or from another origin, and changes nothing', async () => {
    const client = new ConsoleClient(api);
    const email = `${unique('coach-')}@example.fi`;
    const form = { workspaceName: 'Pilotti Oy', name: 'Aino', email, password: PASSWORD };
    const shown = await client.get('/app/sign-up').expect(200);
    const missing = await client.agent.post('/app/sign-up').type('form').send(form).expect(403);
    expect(missing.text).toMatch(/expired|vanhentunut|gått ut/);
    const wrong = await client.agent
      .post('/app/sign-up')
      .type('form')
      .send({ ...form, _csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    const foreign = await client.agent
      .post('/app/sign-up')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ ...form, _csrf: csrfOf(shown.text) });
    expect(foreign.status).toBe(403);
    // A token from another browser's form cookie does not fit this one's.
    const other = new ConsoleClient(api);
    const otherToken = csrfOf((await other.get('/app/sign-up')).text);
    expect(
      (
        await client.agent
          .post('/app/sign-up')
          .type('form')
          .send({ ...form, _csrf: otherToken })
      ).status,
    ).toBe(403);
    expect(await members(email)).toBe(0);
    // The same form with its own token goes through.
    await client.agent
      .post('/app/sign-up')
      .type('form')
      .send({ ...form, _csrf: csrfOf(shown.text) })
      .expect(303);
    expect(await members(email)).toBe(1);
  });

  it('rotates the token at sign-in and revokes it at sign-out', async () => {
    const client = new ConsoleClient(api);
    const { email } = await client.signUp();
    const tokenOf = (res: { headers: Record<string, unknown> }) =>
      /luotsi_session=([^;]+)/.exec(sessionCookie(res)!)![1];
    // Signed in, the browser still holds a token; signing in again (another tab) replaces and revokes it.
    const held = await client.get('/app').expect(200);
    const before = tokenOf(await client.signIn(email));
    const again = await client.agent
      .post('/app/sign-in')
      .type('form')
      .send({ email, password: PASSWORD, _csrf: csrfOf((await client.get('/app')).text) })
      .expect(303);
    expect(held.status).toBe(200);
    const after = tokenOf(again);
    expect(after).not.toBe(before);
    await api.http.get('/api/v1/auth/me').set(bearer(before)).expect(401);
    await api.http.get('/api/v1/auth/me').set(bearer(after)).expect(200);
    const out = await client.submit('/app', {}, '/app/sign-out');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/app/sign-in?signedOut=1');
    await api.http.get('/api/v1/auth/me').set(bearer(after)).expect(401);
    // Replaying the old cookie leads to sign-in.
    await api.http.get('/app').set('Cookie', `luotsi_session=${after}`).expect(303);
  });

  it('shows a wrong password as an error summary linking to the field, without saying which was wrong', async () => {
    const client = new ConsoleClient(api);
    const res = await client.signIn(`${unique('nobody-')}@example.fi`, 'not the password at all');
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/class=["']error-summary["']/);
    expect(res.text).toMatch(/href=["']#field-email["']/);
    expect(res.text).toContain('aria-invalid="true"');
    const blank = await client.submit('/app/sign-in', { email: 'not-an-email', password: '' });
    expect(blank.status).toBe(422);
    expect(blank.text).toMatch(/href=["']#field-password["']/);
  });

  it("speaks the browser's language until the member chooses one, then remembers it on the member", async () => {
    const client = new ConsoleClient(api);
    const swedish = await client.get('/app/sign-in').set('Accept-Language', 'sv-FI,sv;q=0.9,en;q=0.5');
    expect(swedish.text).toContain('<html lang="sv">');
    expect(swedish.text).toContain('Logga in');
    const { email } = await client.signUp();
    const chosen = await client.submit('/app', { locale: 'fi', next: '/app' }, '/app/language');
    expect(chosen.status).toBe(303);
    expect((await client.get('/app')).text).toContain('<html lang="fi">');
    const [member] = await db.query(`SELECT locale FROM member WHERE email = $1`, [email]);
    expect(member.locale).toBe('fi');
    // Another device, an English browser: the member's choice wins once signed in.
    const elsewhere = new ConsoleClient(api);
    await elsewhere.signIn(email);
    const home = await elsewhere.get('/app').set('Accept-Language', 'en');
    expect(home.text).toContain('<html lang="fi">');
    expect(home.text).toContain('Mikä tarvitsee sinua tänään');
  });
});
