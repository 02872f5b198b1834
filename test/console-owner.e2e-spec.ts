import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';
import { startApi, TestApi } from './support/api';
import { ConsoleClient, csrfOf } from './support/console';
import {
  addMember,
  bearer,
  createOrganization,
  inboxLink,
  PASSWORD,
  signUp,
  unique,
  Workspace,
} from './support/fixtures';

const OPERATOR_TOKEN = randomBytes(24).toString('base64url');
const INVITATION_LINK = /http:\/\/luotsi\.test\/app\/invitations\/([A-Za-z0-9_%-]+)/;

/** The text of the page's error summary, where a failed form names its problems. */
const errorSummary = (html: string): string => {
  const match = /<div class='error-summary'[\s\S]*?<\/div>/.exec(html);
  return match ? match[0] : '';
};

/** Awaits a form's answer and checks its status, saying what the page complained of when it differs. */
async function sent(answer: Promise<Response> | Response, status: number): Promise<Response> {
  const res = await answer;
  if (res.status !== status)
    throw new Error(
      `expected ${status}, got ${res.status}: ${errorSummary(res.text) || res.text.slice(0, 400)}`,
    );
  return res;
}

/**
 * The owner's pages against a real API: members and invitations, message templates with their check
 * and preview, webhooks under the egress rules, the audit log, and the operator's way to the queue
 * board; owners only, and only their own workspace's records.
 */
describe('console: the owner pages', () => {
  let api: TestApi;
  let db: DataSource;
  let owner: ConsoleClient;
  let ownerEmail: string;
  let workspace: Workspace;

  beforeAll(async () => {
    api = await startApi({
      env: {
        OPERATOR_TOKEN,
        PUBLIC_BASE_URL: 'http://luotsi.test',
        // The default egress policy: private targets are refused.
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false',
      },
    });
    db = api.db;
    owner = new ConsoleClient(api);
    ownerEmail = (await owner.signUp()).email;
    const token = await apiToken(ownerEmail);
    const [member] = await db.query(`SELECT id, workspace_id FROM member WHERE email = $1`, [ownerEmail]);
    workspace = { id: member.workspace_id, ownerId: member.id, token, email: ownerEmail };
  });
  afterAll(() => api.close());

  const apiToken = async (email: string): Promise<string> => {
    const res = await api.http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
    return res.body.accessToken;
  };

  it('invites a sponsor with one organization; they accept the link and see only that organization', async () => {
    const granted = await createOrganization(api.http, workspace.token, { name: unique('Kaupunki ') });
    const other = await createOrganization(api.http, workspace.token, { name: unique('Virasto ') });
    const form = await owner.get('/app/members/invite').expect(200);
    expect(form.text).toContain(granted.name);
    expect(form.text).toContain(other.name);

    const email = `${unique('sponsor-')}@example.fi`;
    const res = await owner.agent
      .post('/app/members/invite')
      .type('form')
      .send({
        email,
        name: 'Saara Sponsori',
        role: 'sponsor',
        organizationIds: granted.id,
        _csrf: csrfOf(form.text),
      })
      .expect(200);
    // The link goes by mail (here the development inbox), never onto the owner's page.
    expect(res.text).not.toMatch(INVITATION_LINK);
    const link = INVITATION_LINK.exec((await inboxLink(api.http, email, '/app/invitations')) ?? '');
    expect(link).not.toBeNull();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toMatch(/It works once and expires in \d+ days?\./);

    const [stored] = await db.query(
      `SELECT m.role, m.accepted_at, array_agg(g.organization_id) AS grants
         FROM member m LEFT JOIN sponsor_grant g ON g.member_id = m.id WHERE m.email = $1 GROUP BY m.id`,
      [email],
    );
    expect(stored.role).toBe('sponsor');
    expect(stored.accepted_at).toBeNull();
    expect(stored.grants).toEqual([granted.id]);

    // The members page shows the invitation as pending, with the granted organization.
    const members = await owner.get('/app/members').expect(200);
    expect(members.text).toContain('Saara Sponsori');
    expect(members.text).toContain(granted.name);

    // The invited person, in another browser, follows the link.
    const sponsor = new ConsoleClient(api);
    const path = new URL(link![0]).pathname;
    const accepted = await sent(sponsor.submit(path, { password: PASSWORD }), 303);
    expect(accepted.headers.location).toBe('/app');
    const home = await sponsor.get('/app').expect(200);
    expect(home.text).toContain(granted.name);
    expect(home.text).not.toContain(other.name);
    // The link worked once.
    const again = new ConsoleClient(api);
    await sent(again.submit(path, { password: PASSWORD }), 404);

    const active = await owner.get('/app/members').expect(200);
    expect(active.text).toMatch(/Saara Sponsori[\s\S]*?tag--ok/);

    // The audit log lists the invitation.
    const audit = await owner.get('/app/audit?action=member.invited').expect(200);
    expect(audit.text).toContain('member.invited');
    expect(audit.text).toContain('Member invited');
  });

  it('refuses an invitation for an email already in use, and an invalid email, keeping what was typed', async () => {
    const bad = await sent(
      owner.submit('/app/members/invite', { email: 'not-an-email', name: 'Kalle', role: 'coach' }),
      422,
    );
    expect(errorSummary(bad.text)).toContain("href='#field-email'");
    expect(bad.text).toContain('value="Kalle"');
    const taken = await sent(
      owner.submit('/app/members/invite', { email: ownerEmail, name: 'Kalle', role: 'coach' }),
      409,
    );
    expect(errorSummary(taken.text)).toContain('already belongs');
  });

  it("changes a role and a sponsor's grants, and removes a member after checking; never the last owner", async () => {
    const org = await createOrganization(api.http, workspace.token);
    const coach = await addMember(api.http, workspace, 'coach');
    await sent(owner.submit(`/app/members/${coach.id}`, { role: 'sponsor', organizationIds: [org.id] }), 303);
    const grants = await db.query(`SELECT organization_id FROM sponsor_grant WHERE member_id = $1`, [
      coach.id,
    ]);
    expect(grants.map((g: { organization_id: string }) => g.organization_id)).toEqual([org.id]);
    const shown = await owner.get(`/app/members/${coach.id}?saved=1`).expect(200);
    expect(shown.text).toContain(org.name);

    // The last owner stays: the domain refuses, the page says why.
    const last = await sent(owner.submit(`/app/members/${workspace.ownerId}/remove`, {}), 409);
    expect(errorSummary(last.text)).toContain('at least one owner');
    const demote = await sent(owner.submit(`/app/members/${workspace.ownerId}`, { role: 'coach' }), 409);
    expect(errorSummary(demote.text)).toContain('at least one owner');
    expect((await db.query(`SELECT role FROM member WHERE id = $1`, [workspace.ownerId]))[0].role).toBe(
      'owner',
    );

    const check = await owner.get(`/app/members/${coach.id}/remove`).expect(200);
    expect(check.text).toContain(coach.email);
    expect((await db.query(`SELECT count(*) FROM member WHERE id = $1`, [coach.id]))[0].count).toBe('1');
    const removed = await sent(owner.submit(`/app/members/${coach.id}/remove`, {}), 303);
    expect(removed.headers.location).toBe('/app/members?removed=1');
    expect((await db.query(`SELECT count(*) FROM member WHERE id = $1`, [coach.id]))[0].count).toBe('0');
  });

  it('refuses a template with an unknown variable (nothing stored), then stores a valid one and previews it', async () => {
    const page = '/app/templates/checkin-request/fi';
    const list = await owner.get('/app/templates').expect(200);
    expect(list.text).toContain(`href="${page}"`);
    const form = await owner.get(page).expect(200);
    expect(form.text).toContain('{{links.action}}');
    const subject = /id="field-subject" name="subject" type="text" value="([^"]*)"/.exec(form.text)![1];
    const body = /<textarea[^>]*>([\s\S]*?)<\/textarea>/.exec(form.text)![1];
    const decode = (s: string) =>
      s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#x27;/g, "'")
        .replace(/&#x3D;/g, '=')
        .replace(/&#x60;/g, '`')
        .replace(/&amp;/g, '&');

    const wrong = await sent(
      owner.submit(page, { subject: 'Viikko {{nosuch.thing}}', body: decode(body), intent: 'save' }),
      422,
    );
    expect(errorSummary(wrong.text)).toContain('nosuch.thing');
    expect(errorSummary(wrong.text)).toContain("href='#field-subject'");
    expect(wrong.text).toContain('value="Viikko {{nosuch.thing}}"');
    const none = await db.query(`SELECT count(*) FROM message_template WHERE name = 'checkin-request'`);
    expect(none[0].count).toBe('0');

    // A preview renders the posted version without storing it.
    const previewed = await sent(
      owner.submit(page, {
        subject: 'Esikatselu {{recipient.firstName}}',
        body: decode(body),
        intent: 'preview',
      }),
      200,
    );
    expect(previewed.text).toMatch(/<h2 id="preview">/);
    expect(previewed.text).toMatch(/Esikatselu (?!\{\{)/);
    expect((await db.query(`SELECT count(*) FROM message_template`))[0].count).toBe('0');

    const saved = await sent(
      owner.submit(page, {
        subject: 'Oma otsikko: {{recipient.firstName}}',
        body: decode(body),
        intent: 'save',
      }),
      303,
    );
    expect(saved.headers.location).toBe(`${page}?saved=1`);
    const [row] = await db.query(
      `SELECT subject FROM message_template WHERE name = 'checkin-request' AND locale = 'fi'`,
    );
    expect(row.subject).toBe('Oma otsikko: {{recipient.firstName}}');
    const after = await owner.get(`${page}?saved=1`).expect(200);
    // The preview shows the stored subject, rendered with the sample's first name.
    expect(after.text).toMatch(/<strong>Subject:<\/strong> Oma otsikko: (?!\{\{)\S/);
    const list2 = await owner.get('/app/templates').expect(200);
    expect(list2.text).toMatch(/checkin-request\/fi">(?:(?!<\/td>)[\s\S])*tag--ok/);
    expect(list2.text).not.toMatch(/checkin-request\/sv">(?:(?!<\/td>)[\s\S])*tag--ok/);
    expect(subject).not.toBe('');

    // Back to the built-in version, after checking.
    await owner.get(`${page}/reset`).expect(200);
    await sent(owner.submit(`${page}/reset`, {}), 303);
    expect((await db.query(`SELECT count(*) FROM message_template`))[0].count).toBe('0');
  });

  it('refuses a webhook to a private address with the reason; creates, rotates and deletes a public one', async () => {
    const refused = await sent(
      owner.submit('/app/webhooks/new', { url: 'https://10.1.2.3/hook', events: ['report.ready'] }),
      422,
    );
    expect(errorSummary(refused.text)).toContain('must reach a public address (10.1.2.3 is');
    expect((await db.query(`SELECT count(*) FROM webhook_endpoint`))[0].count).toBe('0');
    const noEvents = await sent(
      owner.submit('/app/webhooks/new', { url: 'https://93.184.215.14/hook' }),
      422,
    );
    expect(errorSummary(noEvents.text)).toContain("href='#field-events'");

    const created = await sent(
      owner.submit('/app/webhooks/new', {
        url: 'https://93.184.215.14/hook',
        events: ['report.ready', 'delivery.failed'],
        description: 'CRM',
      }),
      201,
    );
    const secret = /id="webhook-secret" type="text" readonly value="([^"]+)"/.exec(created.text)![1];
    expect(secret).toMatch(/^whsec_/);
    const [endpoint] = await db.query(`SELECT id, events FROM webhook_endpoint`);
    expect(endpoint.events).toEqual(['report.ready', 'delivery.failed']);
    const shown = await owner.get(`/app/webhooks/${endpoint.id}`).expect(200);
    expect(shown.text).toContain('https://93.184.215.14/hook');
    expect(shown.text).not.toContain(secret);

    const rotated = await sent(
      owner.submit(
        `/app/webhooks/${endpoint.id}`,
        { overlapHours: '0' },
        `/app/webhooks/${endpoint.id}/rotate`,
      ),
      200,
    );
    const newSecret = /id="webhook-secret" type="text" readonly value="([^"]+)"/.exec(rotated.text)![1];
    expect(newSecret).not.toBe(secret);
    const badHours = await sent(
      owner.submit(
        `/app/webhooks/${endpoint.id}`,
        { overlapHours: '500' },
        `/app/webhooks/${endpoint.id}/rotate`,
      ),
      422,
    );
    expect(errorSummary(badHours.text)).toContain("href='#field-overlapHours'");

    await owner.get(`/app/webhooks/${endpoint.id}/delete`).expect(200);
    const gone = await sent(owner.submit(`/app/webhooks/${endpoint.id}/delete`, {}), 303);
    expect(gone.headers.location).toBe('/app/webhooks?deleted=1');
    expect((await db.query(`SELECT count(*) FROM webhook_endpoint`))[0].count).toBe('0');
  });

  it('pages the audit log newest first, with links both ways', async () => {
    // 30 template saves make more than one page of 25.
    const token = await apiToken(ownerEmail);
    const body = (await api.http.get('/api/v1/templates/checkin-request/en').set(bearer(token)).expect(200))
      .body;
    for (let i = 0; i < 30; i++)
      await api.http
        .put('/api/v1/templates/checkin-request/en')
        .set(bearer(token))
        .send({ subject: `Subject ${i}`, body: body.body })
        .expect(200);
    const first = await owner.get('/app/audit?action=template.saved').expect(200);
    expect(first.text).toContain('href="/app/audit?action&#x3D;template.saved&amp;page&#x3D;2"');
    expect(first.text).not.toContain('rel="prev"');
    expect((first.text.match(/<tr>/g) ?? []).length).toBe(26);
    const second = await owner.get('/app/audit?action=template.saved&page=2').expect(200);
    expect(second.text).toContain('rel="prev"');
    expect(second.text).not.toContain('rel="next"');
    const saves = Number(
      (await db.query(`SELECT count(*) FROM audit_event WHERE action = 'template.saved'`))[0].count,
    );
    expect(saves).toBeGreaterThan(25);
    expect((second.text.match(/<tr>/g) ?? []).length).toBe(1 + saves - 25);
    // Newest first: the last save leads the first page.
    expect(first.text.indexOf('checkin-request/en')).toBeGreaterThan(-1);
  });

  it('is for owners only: coaches and sponsors get 403 on every owner page', async () => {
    const org = await createOrganization(api.http, workspace.token);
    const coachMember = await addMember(api.http, workspace, 'coach');
    const sponsorMember = await addMember(api.http, workspace, 'sponsor', [org.id]);
    const endpoint = (
      await api.http
        .post('/api/v1/webhooks')
        .set(bearer(workspace.token))
        .send({ url: 'https://93.184.215.14/x', events: ['report.ready'] })
        .expect(201)
    ).body as { id: string };
    const pages = [
      '/app/members',
      '/app/members/invite',
      `/app/members/${coachMember.id}`,
      `/app/members/${coachMember.id}/remove`,
      '/app/templates',
      '/app/templates/checkin-request/fi',
      '/app/templates/checkin-request/fi/reset',
      '/app/webhooks',
      '/app/webhooks/new',
      `/app/webhooks/${endpoint.id}`,
      `/app/webhooks/${endpoint.id}/delete`,
      '/app/audit',
    ];
    for (const [email] of [[coachMember.email], [sponsorMember.email]]) {
      const client = new ConsoleClient(api);
      await sent(client.signIn(email), 303);
      for (const page of pages) {
        const res = await client.get(page);
        expect([page, res.status]).toEqual([page, 403]);
      }
      const home = await client.get('/app').expect(200);
      // A coach posts the form anyway: refused, nothing invited.
      const res = await client.agent
        .post('/app/members/invite')
        .type('form')
        .send({ email: `${unique('x-')}@example.fi`, name: 'X', role: 'owner', _csrf: csrfOf(home.text) })
        .expect(403);
      expect(res.text).not.toContain('/app/invitations/');
    }
    expect((await db.query(`SELECT count(*) FROM member WHERE name = 'X'`))[0].count).toBe('0');
  });

  it("answers 404 for another workspace's members and webhooks", async () => {
    const other = await signUp(api.http);
    const theirs = await addMember(api.http, other, 'coach');
    const endpoint = (
      await api.http
        .post('/api/v1/webhooks')
        .set(bearer(other.token))
        .send({ url: 'https://93.184.215.14/theirs', events: ['report.ready'] })
        .expect(201)
    ).body;
    for (const page of [
      `/app/members/${theirs.id}`,
      `/app/members/${theirs.id}/remove`,
      `/app/members/${other.ownerId}`,
      `/app/webhooks/${endpoint.id}`,
      `/app/webhooks/${endpoint.id}/delete`,
      '/app/members/not-a-uuid',
    ])
      await owner.get(page).expect(404);
    const home = await owner.get('/app/members').expect(200);
    await owner.agent
      .post(`/app/members/${theirs.id}/remove`)
      .type('form')
      .send({ _csrf: csrfOf(home.text) })
      .expect(404);
    await owner.agent
      .post(`/app/webhooks/${endpoint.id}/delete`)
      .type('form')
      .send({ _csrf: csrfOf(home.text) })
      .expect(404);
    await owner.agent
      .post(`/app/webhooks/${endpoint.id}/rotate`)
      .type('form')
      .send({ overlapHours: '0', _csrf: csrfOf(home.text) })
      .expect(404);
    expect((await db.query(`SELECT count(*) FROM member WHERE id = $1`, [theirs.id]))[0].count).toBe('1');
    expect(
      (await db.query(`SELECT count(*) FROM webhook_endpoint WHERE id = $1`, [endpoint.id]))[0].count,
    ).toBe('1');
  });

  it('opens the queue board from the operator page with the operator token; a wrong token is refused', async () => {
    const operator = new ConsoleClient(api);
    const page = await operator.get('/app/operator').expect(200);
    expect(page.text).toContain('<form method="post" action="/admin/session"');
    await operator.get('/admin/queues').expect(401);

    const wrong = await operator.agent
      .post('/admin/session')
      .type('form')
      .send({ token: `${OPERATOR_TOKEN}x` })
      .expect(303);
    expect(wrong.headers.location).toBe('/app/operator?refused=401');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const told = await operator.get(wrong.headers.location).expect(200);
    expect(errorSummary(told.text)).toContain('The operator token is not right');
    await operator.get('/admin/queues').expect(401);

    // A workspace's own token is not the operator's.
    const workspaceToken = await operator.agent
      .post('/admin/session')
      .type('form')
      .send({ token: workspace.token })
      .expect(303);
    expect(workspaceToken.headers.location).toBe('/app/operator?refused=403');

    // Another site's form is refused before the token is looked at.
    const forged = await operator.agent
      .post('/admin/session')
      .type('form')
      .set('Origin', 'https://evil.example')
      .send({ token: OPERATOR_TOKEN })
      .expect(303);
    expect(forged.headers.location).toBe('/app/operator?refused=origin');
    expect(forged.headers['set-cookie']).toBeUndefined();

    const opened = await operator.agent
      .post('/admin/session')
      .type('form')
      .send({ token: OPERATOR_TOKEN })
      .expect(303);
    expect(opened.headers.location).toBe('/admin/queues');
    expect(String(opened.headers['set-cookie'])).toMatch(
      /^luotsi_queue_board=[^;]+;.*Path=\/admin\/queues.*HttpOnly.*SameSite=Strict/,
    );
    expect(String(opened.headers['set-cookie'])).not.toContain(OPERATOR_TOKEN);
    const board = await operator.get('/admin/queues').expect(200);
    expect(board.text).toContain('<title>Luotsi queues</title>');
    await operator.get('/admin/queues/api/queues').expect(200);
  });

  it("links the operator page from the owner's navigation only", async () => {
    const home = await owner.get('/app').expect(200);
    expect(home.text).toContain('href="/app/operator"');
    const coachMember = await addMember(api.http, workspace, 'coach');
    const coach = new ConsoleClient(api);
    await sent(coach.signIn(coachMember.email), 303);
    expect((await coach.get('/app').expect(200)).text).not.toContain('href="/app/operator"');
  });
});
