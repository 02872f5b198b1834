import { generate } from 'otplib';
import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { ConsoleClient, csrfOf } from './support/console';
import { addMember, bearer, inboxLink, PASSWORD, signUp, Workspace } from './support/fixtures';
import { waitFor } from './support/processes';

/** Codes as the owner's authenticator app would show them: otplib is the reference here. */
const codeAt = (secret: string, at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

/** A six-digit code that is none of the codes of `at` and the steps either side. */
async function wrongCodeAt(secret: string, at: Date): Promise<string> {
  const near = await Promise.all([-30_000, 0, 30_000].map((d) => codeAt(secret, new Date(at.getTime() + d))));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!near.includes(code)) return code;
  }
}

const RECOVERY = /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/;

/**
 * The optional second factor of owners (TOTP): enrolment confirmed by a first code, sign-in asking for
 * the code after the password, no code accepted twice, wrong codes counted by the sign-in limits,
 * recovery codes hashed at rest and single use, turning it off with a current code; the secret sealed
 * at rest. Over the real API (Postgres, Redis) on a test clock, and the console's flow without a browser.
 */
describe('second factor (TOTP)', () => {
  const clock = new ManualClock(new Date('2027-02-01T08:00:00Z'));
  let api: TestApi;
  let owner: Workspace;
  let secret: string;
  let recoveryCodes: string[];

  const login = (email: string, from = '192.0.2.10') =>
    api.http.post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password: PASSWORD });
  const second = (challengeToken: string, code: string, from = '192.0.2.10') =>
    api.http
      .post('/api/v1/auth/login/second-factor')
      .set('X-Forwarded-For', from)
      .send({ challengeToken, code });
  const challenge = async (email: string) => {
    const res = await login(email).expect(200);
    expect(res.body.accessToken).toBeUndefined();
    expect(res.body.status).toBe('second_factor_required');
    expect(res.body.challengeToken).toMatch(/^l2f_[A-Za-z0-9_-]{43}$/);
    return res.body.challengeToken as string;
  };

  beforeAll(async () => {
    api = await startApi({ clock, env: { SIGN_IN_BACKOFF_BASE_MS: '1000' } });
    owner = await signUp(api.http);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('enrols with a secret shown as an otpauth URI, confirmed by a first code; the secret is sealed at rest', async () => {
    const auth = bearer(owner.token);
    await api.http
      .get('/api/v1/auth/second-factor')
      .set(auth)
      .expect(200)
      .expect((r) => expect(r.body).toEqual({ enabled: false, enabledAt: null, recoveryCodesLeft: 0 }));
    const enrolment = await api.http.post('/api/v1/auth/second-factor/enrolment').set(auth).expect(201);
    secret = enrolment.body.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes, base32
    expect(enrolment.body.otpauthUri).toBe(
      `otpauth://totp/Luotsi:${encodeURIComponent(owner.email)}?secret=${secret}&issuer=Luotsi`,
    );

    // A wrong first code is refused naming `code`, and nothing is turned on.
    const wrong = await api.http
      .post('/api/v1/auth/second-factor/enrolment/confirm')
      .set(auth)
      .send({ code: await wrongCodeAt(secret, clock.now()) })
      .expect(422);
    expect(wrong.body.errors).toEqual([{ field: 'code', reason: 'not the current code (or already used)' }]);
    await login(owner.email)
      .expect(200)
      .expect((r) => expect(r.body.accessToken).toMatch(/^lat_/));

    const confirmed = await api.http
      .post('/api/v1/auth/second-factor/enrolment/confirm')
      .set(auth)
      .send({ code: await codeAt(secret, clock.now()) })
      .expect(200);
    recoveryCodes = confirmed.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(RECOVERY);

    // At rest: the secret sealed (never the base32 itself), recovery codes as 32-byte digests only.
    const [row] = await api.db.query(
      `SELECT totp_secret, totp_pending_secret, totp_enabled_at FROM member WHERE id = $1`,
      [owner.ownerId],
    );
    expect(row.totp_secret).toMatch(/^enc1:[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(row.totp_secret).not.toContain(secret);
    expect(row.totp_pending_secret).toBeNull();
    expect(row.totp_enabled_at).toEqual(clock.now());
    const stored = await api.db.query(
      `SELECT token_hash FROM credential_token WHERE member_id = $1 AND purpose = 'recovery' AND revoked_at IS NULL`,
      [owner.ownerId],
    );
    expect(stored).toHaveLength(10);
    for (const { token_hash } of stored) {
      expect(token_hash).toHaveLength(32);
      for (const code of recoveryCodes) expect(token_hash.toString('latin1')).not.toContain(code);
    }
    await api.http
      .get('/api/v1/auth/second-factor')
      .set(auth)
      .expect(200)
      .expect((r) =>
        expect(r.body).toMatchObject({
          enabled: true,
          recoveryCodesLeft: 10,
          enabledAt: clock.now().toISOString(),
        }),
      );
  });

  it('asks for the code after the password, and never accepts a code twice', async () => {
    // The code that confirmed the enrolment is spent: the same step is refused.
    let token = await challenge(owner.email);
    const spent = await second(token, await codeAt(secret, clock.now())).expect(401);
    expect(spent.body.detail).toBe('Wrong code.');

    clock.advance(30_000);
    const code = await codeAt(secret, clock.now());
    const signedIn = await second(token, code).expect(200);
    expect(signedIn.body.accessToken).toMatch(/^lat_/);
    await api.http.get('/api/v1/auth/me').set(bearer(signedIn.body.accessToken)).expect(200);
    // The challenge worked once.
    await second(token, code).expect(401);

    // Replayed within its 30 seconds through a new sign-in: refused.
    token = await challenge(owner.email);
    await second(token, code)
      .expect(401)
      .expect((r) => expect(r.body.detail).toBe('Wrong code.'));
    // The previous step (the clock of a phone a little behind) was used already too; the next one works.
    clock.advance(30_000);
    await second(token, await codeAt(secret, clock.now())).expect(200);
  });

  it('counts wrong codes against the sign-in limits: the account waits, even for the right code', async () => {
    clock.advance(30_000);
    const token = await challenge(owner.email);
    const wrong = await wrongCodeAt(secret, clock.now());
    for (let i = 0; i < 5; i++) await second(token, wrong, '192.0.2.11').expect(401);
    const refused = await second(token, await codeAt(secret, clock.now()), '192.0.2.11').expect(429);
    expect(refused.headers['retry-after']).toBe('1');
    // From another address too: the backoff is the account's.
    await second(token, await codeAt(secret, clock.now()), '192.0.2.12').expect(429);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await second(token, await codeAt(secret, clock.now()), '192.0.2.11').expect(200);
  });

  it('takes each recovery code once, typed in any case with spaces', async () => {
    clock.advance(30_000);
    const typed = recoveryCodes[3].toUpperCase().replace(/-/g, ' ');
    let token = await challenge(owner.email);
    await second(token, typed).expect(200);
    token = await challenge(owner.email);
    await second(token, recoveryCodes[3])
      .expect(401)
      .expect((r) => expect(r.body.detail).toBe('Wrong code.'));
    await second(token, recoveryCodes[4]).expect(200);
    await api.http
      .get('/api/v1/auth/second-factor')
      .set(bearer(owner.token))
      .expect(200)
      .expect((r) => expect(r.body.recoveryCodesLeft).toBe(8));
  });

  it('lets a waiting sign-in expire after five minutes', async () => {
    clock.advance(30_000);
    const token = await challenge(owner.email);
    clock.advance(5 * 60_000 + 1_000);
    await second(token, await codeAt(secret, clock.now()))
      .expect(401)
      .expect((r) => expect(r.body.detail).toBe('The sign-in has expired; sign in again.'));
  });

  it('is for owners only', async () => {
    const coach = await addMember(api.http, owner, 'coach');
    await api.http.post('/api/v1/auth/second-factor/enrolment').set(bearer(coach.token)).expect(403);
  });

  it('turns off with a current code only; sign-in asks for the password alone again', async () => {
    clock.advance(30_000);
    const auth = bearer(owner.token);
    await api.http
      .post('/api/v1/auth/second-factor/disable')
      .set(auth)
      .send({ code: await wrongCodeAt(secret, clock.now()) })
      .expect(422)
      .expect((r) => expect(r.body.errors[0].field).toBe('code'));
    await api.http
      .post('/api/v1/auth/second-factor/disable')
      .set(auth)
      .send({ code: await codeAt(secret, clock.now()) })
      .expect(204);
    await login(owner.email)
      .expect(200)
      .expect((r) => expect(r.body.accessToken).toMatch(/^lat_/));
    const [row] = await api.db.query(`SELECT totp_secret, totp_enabled_at FROM member WHERE id = $1`, [
      owner.ownerId,
    ]);
    expect(row).toEqual({ totp_secret: null, totp_enabled_at: null });
    const live = await api.db.query(
      `SELECT count(*)::int AS n FROM credential_token WHERE member_id = $1 AND purpose = 'recovery' AND revoked_at IS NULL`,
      [owner.ownerId],
    );
    expect(live[0].n).toBe(0);
  });

  it('with the key replaced, app codes fail (never a 500) and recovery codes still sign in and turn it off', async () => {
    clock.advance(30_000);
    const other = await signUp(api.http);
    const auth = bearer(other.token);
    const { secret: otherSecret } = (
      await api.http.post('/api/v1/auth/second-factor/enrolment').set(auth).expect(201)
    ).body;
    const codes: string[] = (
      await api.http
        .post('/api/v1/auth/second-factor/enrolment/confirm')
        .set(auth)
        .send({ code: await codeAt(otherSecret, clock.now()) })
        .expect(200)
    ).body.recoveryCodes;
    // As if WEBHOOK_SECRET_KEY had been replaced: the sealed secret no longer opens.
    await api.db.query(
      `UPDATE member SET totp_secret = 'enc1:AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA' WHERE id = $1`,
      [other.ownerId],
    );
    clock.advance(30_000);
    const token = await challenge(other.email);
    await second(token, await codeAt(otherSecret, clock.now()), '192.0.2.30').expect(401);
    const signedIn = await second(token, codes[0], '192.0.2.30').expect(200);
    await api.http
      .post('/api/v1/auth/second-factor/disable')
      .set(bearer(signedIn.body.accessToken))
      .send({ code: codes[0] })
      .expect(422);
    await api.http
      .post('/api/v1/auth/second-factor/disable')
      .set(bearer(signedIn.body.accessToken))
      .send({ code: codes[1] })
      .expect(204);
    await login(other.email)
      .expect(200)
      .expect((r) => expect(r.body.accessToken).toMatch(/^lat_/));
  });

  it('a reset link proves the mailbox, not the phone: with the factor on, it leads to the code', async () => {
    clock.advance(30_000);
    const member = await signUp(api.http);
    const { secret: memberSecret } = (
      await api.http.post('/api/v1/auth/second-factor/enrolment').set(bearer(member.token)).expect(201)
    ).body;
    await api.http
      .post('/api/v1/auth/second-factor/enrolment/confirm')
      .set(bearer(member.token))
      .send({ code: await codeAt(memberSecret, clock.now()) })
      .expect(200);
    await api.http.post('/api/v1/auth/password/forgot').send({ email: member.email }).expect(202);
    let link: string | undefined;
    await waitFor(
      async () => !!(link = await inboxLink(api.http, member.email, '/app/password/reset')),
      10_000,
    );
    const path = new URL(link!).pathname;

    // In the console: the new password is set, and the next page asks for the code.
    const client = new ConsoleClient(api);
    const reset = await client.submit(path, { password: 'a new password for the reset' });
    expect(reset.status).toBe(303);
    expect(reset.headers.location).toBe('/app/sign-in/code?next=%2Fapp');
    await client.get('/app').expect(303);
    clock.advance(30_000);
    const page = await client.get(reset.headers.location).expect(200);
    await client.agent
      .post('/app/sign-in/code')
      .type('form')
      .send({ _csrf: csrfOf(page.text), next: '/app', code: await codeAt(memberSecret, clock.now()) })
      .expect(303)
      .expect('Location', '/app');
    await client.get('/app').expect(200);
  });

  it('in the console: enrol with a QR code, sign in with the code after the password, turn it off', async () => {
    clock.advance(30_000);
    const client = new ConsoleClient(api);
    const fields = await client.signUp();
    const account = await client.get('/app/account').expect(200);
    expect(account.text).toContain('Two-step sign-in');

    // Set up: the QR code (an SVG), the key as text, the otpauth URI.
    const setup = await client.submit('/app/account', {}, '/app/account/second-factor');
    expect(setup.status).toBe(200);
    expect(setup.text).toMatch(
      /<div class="qr-code" role="img" aria-label="[^"]+"><svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    );
    const consoleSecret = /<code class="secret">([A-Z2-7]{32})<\/code>/.exec(setup.text)![1];
    expect(setup.text).toContain(`secret&#x3D;${consoleSecret}&amp;issuer&#x3D;Luotsi`);
    // Shown again (a language switch lands here), the same key, until the first code confirms it.
    expect((await client.get('/app/account/second-factor').expect(200)).text).toContain(consoleSecret);

    const wrong = await client.agent
      .post('/app/account/second-factor/confirm')
      .type('form')
      .send({ _csrf: csrfOf(setup.text), code: await wrongCodeAt(consoleSecret, clock.now()) })
      .expect(422);
    expect(wrong.text).toContain('The code is not right.');
    const codes = await client.agent
      .post('/app/account/second-factor/confirm')
      .type('form')
      .send({ _csrf: csrfOf(wrong.text), code: await codeAt(consoleSecret, clock.now()) })
      .expect(200);
    const shown = [...codes.text.matchAll(/<li><code>([a-z2-9-]{19})<\/code><\/li>/g)].map((m) => m[1]);
    expect(shown).toHaveLength(10);

    // Sign out, sign in: the password leads to the code's page, the code into the console.
    await client.submit('/app', {}, '/app/sign-out');
    clock.advance(30_000);
    const signIn = await client.signIn(fields.email);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/app/sign-in/code?next=%2Fapp');
    expect(String(signIn.headers['set-cookie'])).not.toContain('luotsi_session=lat_');
    await client.get('/app').expect(303); // not signed in yet
    const page = await client.get('/app/sign-in/code?next=%2Fapp').expect(200);
    expect(page.text).toContain('autocomplete="one-time-code"');
    const refused = await client.agent
      .post('/app/sign-in/code')
      .type('form')
      .send({ _csrf: csrfOf(page.text), next: '/app', code: await wrongCodeAt(consoleSecret, clock.now()) })
      .expect(401);
    expect(refused.text).toContain('The code is not right, or it was used already.');
    const done = await client.agent
      .post('/app/sign-in/code')
      .type('form')
      .send({ _csrf: csrfOf(refused.text), next: '/app', code: await codeAt(consoleSecret, clock.now()) })
      .expect(303);
    expect(done.headers.location).toBe('/app');
    const home = await client.get('/app').expect(200);
    expect(home.text).toContain(fields.name);

    // Turn it off with a current code.
    clock.advance(30_000);
    const off = await client.submit(
      '/app/account',
      { code: await codeAt(consoleSecret, clock.now()) },
      '/app/account/second-factor/disable',
    );
    expect(off.status).toBe(303);
    expect(off.headers.location).toBe('/app/account?secondFactorOff=1');
    expect((await client.get('/app/account?secondFactorOff=1')).text).toContain('Two-step sign-in is off.');
  });
});
