import { randomBytes } from 'node:crypto';
import TestAgent from 'supertest/lib/agent';

export const PASSWORD = 'correct horse battery staple';

export const unique = (prefix = '') => `${prefix}${randomBytes(4).toString('hex')}`;
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface Workspace {
  id: string;
  ownerId: string;
  token: string;
  email: string;
}

/** Signs up a workspace and returns its owner's token. */
export async function signUp(http: TestAgent, name = unique('Consultancy ')): Promise<Workspace> {
  const email = `${unique('owner-')}@example.fi`;
  const res = await http
    .post('/api/v1/workspaces')
    .send({ workspaceName: name, email, name: 'Owner', password: PASSWORD })
    .expect(201);
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
  const accepted = await http
    .post('/api/v1/auth/invitations/accept')
    .send({ token: invited.body.invitationToken, password: PASSWORD })
    .expect(200);
  return { id: invited.body.member.id, email, token: accepted.body.accessToken };
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
