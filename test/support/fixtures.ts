import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import TestAgent from 'supertest/lib/agent';
import { AuthService, WorkspaceService } from '@luotsi/domain';
import { appOf } from './api';

export const PASSWORD = 'correct horse battery staple';

export const unique = (prefix = '') => `${prefix}${randomBytes(4).toString('hex')}`;
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface Workspace {
  id: string;
  ownerId: string;
  token: string;
  email: string;
}

/**
 * The token of a confirmation or invitation link for `email`. The link itself went by mail, which most
 * specs do not read: with the API in the test process, its own domain service makes a fresh one
 * (`make`); with the API in another process (no SMTP_URL there), the mailed link is read from its
 * development inbox. test/accounts.e2e-spec.ts follows the mailed links over SMTP.
 */
async function linkToken(
  http: TestAgent,
  email: string,
  path: '/app/confirm' | '/app/invitations',
  make: (app: NestExpressApplication) => Promise<string | null>,
): Promise<string> {
  const app = appOf(http);
  if (app) {
    const token = await make(app);
    if (!token) throw new Error(`no ${path} link could be made for ${email}`);
    return token;
  }
  const deadline = Date.now() + 15_000;
  for (;;) {
    const link = await inboxLink(http, email, path);
    if (link) return decodeURIComponent(link.slice(link.lastIndexOf('/') + 1));
    if (Date.now() > deadline) throw new Error(`no mail with a ${path} link reached ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Signs up a workspace, confirms its address (the API answers sign-up with "check your mail") and
 * returns its owner's token.
 */
export async function signUp(http: TestAgent, name = unique('Consultancy ')): Promise<Workspace> {
  const email = `${unique('owner-')}@example.fi`;
  await http
    .post('/api/v1/workspaces')
    .send({ workspaceName: name, email, name: 'Owner', password: PASSWORD })
    .expect(202);
  const token = await linkToken(http, email, '/app/confirm', (app) =>
    app.get(WorkspaceService).issueConfirmation(email),
  );
  const res = await http.post('/api/v1/auth/confirmations').send({ token }).expect(200);
  return { id: res.body.workspace.id, ownerId: res.body.member.id, token: res.body.accessToken, email };
}

/** Invites a member as the owner and has them accept with a password; returns their token. */
export async function addMember(
  http: TestAgent,
  owner: Workspace,
  role: 'owner' | 'coach' | 'sponsor',
  organizationIds: string[] = [],
): Promise<{ id: string; email: string; token: string }> {
  const email = `${unique(`${role}-`)}@example.fi`;
  const invited = await http
    .post('/api/v1/members')
    .set(bearer(owner.token))
    .send({ email, name: `A ${role}`, role, ...(organizationIds.length ? { organizationIds } : {}) })
    .expect(201);
  const token = await linkToken(http, email, '/app/invitations', async (app) => {
    const issued = await app.get(AuthService).issueInvitation(invited.body.member.id);
    return issued?.accessToken ?? null;
  });
  const accepted = await http
    .post('/api/v1/auth/invitations/accept')
    .send({ token, password: PASSWORD })
    .expect(200);
  return { id: invited.body.member.id, email, token: accepted.body.accessToken };
}

/**
 * The newest link to `path` (e.g. `/app/invitations`) mailed to `to`, read from the development inbox,
 * where an API without SMTP_URL keeps what it sends. Undefined while there is none.
 */
export async function inboxLink(http: TestAgent, to: string, path: string): Promise<string | undefined> {
  const list = (await http.get('/dev/inbox').expect(200)).text;
  const escaped = to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const row = new RegExp(`<tr><td>[^<]*</td><td>${escaped}</td><td><a href="/dev/inbox/([0-9a-f-]+)">`);
  const id = row.exec(list)?.[1];
  if (!id) return undefined;
  const html = (await http.get(`/dev/inbox/${id}/html`).expect(200)).text;
  return new RegExp(`https?://[^"\\s]+${path}/[A-Za-z0-9_%-]+`).exec(html)?.[0];
}

/** A fresh invitation token for a member who has not accepted (the mailed one stops working). */
export async function invitationToken(http: TestAgent, memberId: string): Promise<string> {
  const app = appOf(http);
  if (!app) throw new Error('invitationToken needs a client of an in-process API (startApi)');
  const issued = await app.get(AuthService).issueInvitation(memberId);
  if (!issued) throw new Error(`member ${memberId} has accepted already`);
  return issued.accessToken;
}

export async function createOrganization(
  http: TestAgent,
  token: string,
  overrides: Record<string, unknown> = {},
) {
  const res = await http
    .post('/api/v1/organizations')
    .set(bearer(token))
    .send({ name: unique('Org '), sector: 'public', headcount: 8000, ...overrides })
    .expect(201);
  return res.body as { id: string; name: string; timeZone: string };
}

export async function createRollout(http: TestAgent, token: string, organizationId: string) {
  const res = await http
    .post('/api/v1/rollouts')
    .set(bearer(token))
    .send({
      organizationId,
      goal: 'Every unit plans its quarter with OKRs',
      targetHeadcount: 8000,
      plannedWaves: 3,
    })
    .expect(201);
  return res.body as { id: string; status: string };
}

export async function createPilot(
  http: TestAgent,
  token: string,
  rolloutId: string,
  overrides: Record<string, unknown> = {},
) {
  const res = await http
    .post(`/api/v1/rollouts/${rolloutId}/pilots`)
    .set(bearer(token))
    .send({
      name: unique('Pilot '),
      waveNumber: 1,
      levels: ['staff', 'management'],
      startQuarter: '2027-Q1',
      ...overrides,
    })
    .expect(201);
  return res.body as { id: string; state: string };
}

const FIRST = ['Aino', 'Eero', 'Sanna', 'Mikko', 'Ella', 'Björn', 'Åsa', 'Jääskeläinen', 'Leena', 'Olli'];
const LAST = [
  'Virtanen',
  'Korhonen',
  'Mäkinen',
  'Nieminen',
  'Lindqvist',
  'Öhman',
  'Hämäläinen',
  'Söderström',
];

/** A CSV of `n` participants in fi/sv/en, with Nordic letters in the names. */
export function participantCsv(
  n: number,
  options: { domain?: string; delimiter?: string; bom?: boolean } = {},
): string {
  const d = options.delimiter ?? ',';
  const lines = [['email', 'name', 'locale', 'level', 'time_zone'].join(d)];
  for (let i = 0; i < n; i++) {
    const locale = ['fi', 'sv', 'en'][i % 3];
    const zone = ['Europe/Helsinki', 'Europe/Stockholm', 'Europe/London'][i % 3];
    const name = `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]}`;
    lines.push(
      [
        `person${i}@${options.domain ?? 'example.fi'}`,
        name,
        locale,
        i % 10 === 0 ? 'management' : 'staff',
        zone,
      ].join(d),
    );
  }
  return (options.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}
