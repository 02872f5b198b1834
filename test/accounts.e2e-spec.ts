import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { ConsoleClient } from './support/console';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  PASSWORD,
  signUp,
  unique,
} from './support/fixtures';
import { waitFor } from './support/processes';
import { ReceivedMail, startSmtpServer, TestSmtpServer } from './support/smtp';
import { startWorker, TestWorker } from './support/worker';

/**
 * Accounts over real SMTP: sign-up answers the same for a new address and a registered one, and the
 * mailed link confirms the address; a workspace's participant mail waits until then; invitations go by
 * mail only; a password change, a reset by mailed link and "sign out everywhere" end the sessions they
 * should.
 */
describe('Accounts', () => {
  const clock = new ManualClock(new Date('2027-01-04T10:00:00Z')); // a Monday, mid-morning in Helsinki
  const BASE = 'http://luotsi.test';
  const NEW_PASSWORD = 'a brand new passphrase 2027';
  let smtp: TestSmtpServer;
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const env = { SMTP_URL: smtp.url, PUBLIC_BASE_URL: BASE, ACCESS_TOKEN_TTL_HOURS: String(24 * 30) };
    api = await startApi({ clock, env });
    worker = await startWorker({ ...api.env, ...env }, clock);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
  });

  /** The account mail to `to` whose subject matches, once it arrives. */
  const mailTo = async (to: string, subject: RegExp): Promise<ReceivedMail> => {
    let found: ReceivedMail | undefined;
    await waitFor(
      () => {
        found = smtp.accountMail.find((m) => m.to === to && subject.test(m.subject));
        return !!found;
      },
      15_000,
      () =>
        `no mail "${subject}" to ${to}; got ${smtp.accountMail.map((m) => `${m.to}: ${m.subject}`).join('; ')}`,
    );
    return found!;
  };
  /** The token of the link to `path` in the mail's HTML part, checking it is there in the text part too. */
  const linkToken = (mail: ReceivedMail, path: string, prefix: string): string => {
    const pattern = new RegExp(`${BASE.replace(/[.:/]/g, '\\$&')}${path}/(${prefix}_[A-Za-z0-9_-]{43})`);
    const inHtml = pattern.exec(mail.htmlPart ?? '')?.[1];
    const inText = pattern.exec(mail.plainPart ?? '')?.[1];
    expect(inHtml).toBeDefined();
    expect(inText).toBe(inHtml);
    return inHtml!;
  };
  const signUpBody = (email: string, workspaceName = unique('Valmennus ')) => ({
    workspaceName,
    email,
    name: 'Aino Virtanen',
    password: PASSWORD,
    locale: 'en',
  });
  const login = (email: string, password: string) =>
    api.http.post('/api/v1/auth/login').send({ email, password });
  const count = async (sql: string, params: unknown[]) => (await api.db.query(sql, params))[0].n as number;

  it('answers sign-up the same for a new and a registered address, and mails each what fits', async () => {
    const existing = await signUp(api.http);
    const fresh = `${unique('aino-')}@example.fi`;

    const first = await api.http.post('/api/v1/workspaces').send(signUpBody(fresh)).expect(202);
    const copyName = unique('Copy ');
    const second = await api.http
      .post('/api/v1/workspaces')
      .send(signUpBody(existing.email, copyName))
      .expect(202);
    expect(second.body).toEqual(first.body);
    expect(first.body).toEqual({ status: 'check_your_mail', message: expect.any(String) });
    expect(second.headers['content-type']).toBe(first.headers['content-type']);

    // The new address gets its confirmation link; the registered one a notice, and no second workspace.
    const confirmation = await mailTo(fresh, /^Confirm your email address/);
    linkToken(confirmation, '/app/confirm', 'lcf');
    const notice = await mailTo(existing.email, /^You already have a Luotsi account$/);
    expect(notice.plainPart).toContain(`${BASE}/app/password/forgot`);
    expect(notice.plainPart).not.toMatch(/lcf_|lrs_/);
    expect(await count(`SELECT count(*)::int AS n FROM workspace WHERE name = $1`, [copyName])).toBe(0);
    // The registered owner's password is untouched: the sign-up's own password does not open the account.
    await login(existing.email, PASSWORD).expect(200);
  });

  it("holds a workspace's participant mail until its address is confirmed through the mailed link", async () => {
    const email = `${unique('coach-')}@example.fi`;
    await api.http.post('/api/v1/workspaces').send(signUpBody(email)).expect(202);
    const mail = await mailTo(email, /^Confirm your email address/);
    const token = linkToken(mail, '/app/confirm', 'lcf');

    // Signed in with the password, the coach works before confirming; the mail waits and says so.
    const early = (await login(email, PASSWORD).expect(200)).body.accessToken as string;
    const me = await api.http.get('/api/v1/auth/me').set(bearer(early)).expect(200);
    expect(me.body.mailHeld).toBe(true);
    const browser = new ConsoleClient(api);
    expect((await browser.signIn(email)).status).toBe(303);
    const HELD = /Your workspace&#x27;s mail waits until you confirm your email address/;
    expect((await browser.get('/app').expect(200)).text).toMatch(HELD);
    const organization = await createOrganization(api.http, early, { timeZone: 'Europe/Helsinki' });
    const rollout = await createRollout(api.http, early, organization.id);
    const pilot = await createPilot(api.http, early, rollout.id, { levels: ['staff'] });
    const person = `${unique('person-')}@example.fi`;
    await api.http
      .post(`/api/v1/pilots/${pilot.id}/participants`)
      .set(bearer(early))
      .send({ email: person, name: 'Eero Mäkinen', level: 'staff', timeZone: 'Europe/Helsinki' })
      .expect(201);
    await api.http.post(`/api/v1/pilots/${pilot.id}/start`).set(bearer(early)).expect(200);

    await worker.tickAndDrain();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.received.filter((m) => m.to === person)).toHaveLength(0);
    const rows = (await api.db.query(
      `SELECT status FROM outbox_message WHERE participant_id IS NOT NULL AND pilot_id = $1`,
      [pilot.id],
    )) as { status: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === 'pending')).toBe(true);

    // The mailed link confirms and signs in, once.
    const confirmed = await api.http.post('/api/v1/auth/confirmations').send({ token }).expect(200);
    expect(confirmed.body.accessToken).toMatch(/^lat_/);
    expect(confirmed.body.member.email).toBe(email);
    expect(confirmed.body.workspace.id).toBe(me.body.workspaceId);
    const again = await api.http.post('/api/v1/auth/confirmations').send({ token }).expect(422);
    expect(JSON.stringify(again.body)).toContain('token');
    expect(
      (await api.http.get('/api/v1/auth/me').set(bearer(confirmed.body.accessToken)).expect(200)).body
        .mailHeld,
    ).toBe(false);

    expect((await browser.get('/app').expect(200)).text).not.toMatch(HELD);

    // The held kickoff goes at the next tick.
    await worker.tickAndDrain();
    await waitFor(
      () => smtp.received.some((m) => m.to === person),
      15_000,
      () => 'the kickoff did not arrive',
    );
    expect(smtp.received.filter((m) => m.to === person)).toHaveLength(1);
  });

  it('mails an invitation to the invited address only, and its link is accepted once', async () => {
    const owner = await signUp(api.http);
    const email = `${unique('coach-')}@example.fi`;
    const invited = await api.http
      .post('/api/v1/members')
      .set(bearer(owner.token))
      .send({ email, name: 'Sanna Nieminen', role: 'coach' })
      .expect(201);
    expect(invited.body.member.email).toBe(email);
    expect(Object.keys(invited.body).sort()).toEqual(['expiresAt', 'member']);
    expect(JSON.stringify(invited.body)).not.toMatch(/lin_/);

    const mail = await mailTo(email, /invited you to Luotsi/);
    expect(smtp.accountMail.filter((m) => m.to === owner.email && /invited/.test(m.subject))).toHaveLength(0);
    const token = linkToken(mail, '/app/invitations', 'lin');
    // The link opens the console's page to choose a password.
    await api.http.get(`/app/invitations/${token}`).expect(200);
    const accepted = await api.http
      .post('/api/v1/auth/invitations/accept')
      .send({ token, password: PASSWORD })
      .expect(200);
    expect(accepted.body.accessToken).toMatch(/^lat_/);
    await api.http.post('/api/v1/auth/invitations/accept').send({ token, password: PASSWORD }).expect(422);
    await login(email, PASSWORD).expect(200);
  });

  it("changes the password with the current one and ends the member's other sessions", async () => {
    const owner = await signUp(api.http);
    const here = owner.token;
    const elsewhere = (await login(owner.email, PASSWORD).expect(200)).body.accessToken as string;

    const wrong = await api.http
      .post('/api/v1/auth/password')
      .set(bearer(here))
      .send({ currentPassword: 'not the password', newPassword: NEW_PASSWORD })
      .expect(422);
    expect(JSON.stringify(wrong.body)).toContain('currentPassword');
    await api.http.get('/api/v1/auth/me').set(bearer(elsewhere)).expect(200);

    await api.http
      .post('/api/v1/auth/password')
      .set(bearer(here))
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
      .expect(204);
    await api.http.get('/api/v1/auth/me').set(bearer(elsewhere)).expect(401);
    await api.http.get('/api/v1/auth/me').set(bearer(here)).expect(200);
    await login(owner.email, PASSWORD).expect(401);
    await login(owner.email, NEW_PASSWORD).expect(200);
  });

  it('resets a password by a mailed single-use link, answering the same for an unknown address', async () => {
    const owner = await signUp(api.http);
    const session = owner.token;
    const unknown = `${unique('nobody-')}@example.fi`;

    const forUnknown = await api.http
      .post('/api/v1/auth/password/forgot')
      .send({ email: unknown, locale: 'en' })
      .expect(202);
    const forOwner = await api.http
      .post('/api/v1/auth/password/forgot')
      .send({ email: owner.email, locale: 'en' })
      .expect(202);
    expect(forOwner.body).toEqual(forUnknown.body);

    const mail = await mailTo(owner.email, /^A new password for Luotsi$/);
    const token = linkToken(mail, '/app/password/reset', 'lrs');
    await api.http.get(`/app/password/reset/${token}`).expect(200);
    // The reset link is stored as a digest only.
    expect(
      await count(
        `SELECT count(*)::int AS n FROM credential_token WHERE token_hash = sha256(convert_to($1, 'UTF8'))`,
        [token],
      ),
    ).toBe(1);
    expect(
      await count(`SELECT count(*)::int AS n FROM credential_token t WHERE t::text LIKE '%' || $1 || '%'`, [
        token.slice(4),
      ]),
    ).toBe(0);

    const reset = await api.http
      .post('/api/v1/auth/password/reset')
      .send({ token, password: NEW_PASSWORD })
      .expect(200);
    expect(reset.body.accessToken).toMatch(/^lat_/);
    await api.http
      .post('/api/v1/auth/password/reset')
      .send({ token, password: 'yet another passphrase' })
      .expect(422);
    await api.http.get('/api/v1/auth/me').set(bearer(session)).expect(401);
    await login(owner.email, PASSWORD).expect(401);
    await login(owner.email, NEW_PASSWORD).expect(200);
    expect(smtp.accountMail.filter((m) => m.to === unknown)).toHaveLength(0);

    // An expired link is refused like a used one (the link lives an hour).
    await api.http.post('/api/v1/auth/password/forgot').send({ email: owner.email }).expect(202);
    await waitFor(
      () =>
        smtp.accountMail.filter((m) => m.to === owner.email && /new password/.test(m.subject)).length === 2,
    );
    const later = smtp.accountMail.filter((m) => m.to === owner.email && /new password/.test(m.subject))[1];
    const lateToken = linkToken(later, '/app/password/reset', 'lrs');
    clock.advance(61 * 60_000);
    await api.http
      .post('/api/v1/auth/password/reset')
      .send({ token: lateToken, password: 'yet another passphrase' })
      .expect(422);
  });

  it('signs out everywhere: every session of the member ends, the calling one included', async () => {
    const owner = await signUp(api.http);
    const coachOwner = await signUp(api.http);
    const second = (await login(owner.email, PASSWORD).expect(200)).body.accessToken as string;
    await api.http.post('/api/v1/auth/sign-out-everywhere').set(bearer(owner.token)).expect(204);
    await api.http.get('/api/v1/auth/me').set(bearer(owner.token)).expect(401);
    await api.http.get('/api/v1/auth/me').set(bearer(second)).expect(401);
    // Another member's session is untouched, and the password still signs in.
    await api.http.get('/api/v1/auth/me').set(bearer(coachOwner.token)).expect(200);
    await login(owner.email, PASSWORD).expect(200);
  });
});
