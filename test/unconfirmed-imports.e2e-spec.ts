import { WorkspaceService } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { ConsoleClient, csrfOf } from './support/console';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  participantCsv,
  PASSWORD,
  unique,
} from './support/fixtures';
import { fortyPeople, peopleWorkbook } from './support/people-files';

const LIMIT = 5;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A CSV of the people `from`..`to - 1` of one made-up domain (the same index, the same person). */
const csvOf = (from: number, to: number, domain: string) => {
  const lines = participantCsv(to, { domain }).split('\r\n');
  return Buffer.from([lines[0], ...lines.slice(1 + from, 1 + to), ''].join('\r\n'), 'utf8');
};

/**
 * Imports over a size need a confirmed address: a workspace whose sign-up address is not confirmed
 * may import at most UNCONFIRMED_IMPORT_LIMIT participants (5 here), per import and in total, through
 * CSV, XLSX and the JSON route; past it the import is refused whole (422 problem+json naming the field
 * and saying to confirm the address) and nothing is stored. Once confirmed, the same file goes in. The
 * console's import says the same, in the coach's language, with a link to the account page.
 */
describe('imports of an unconfirmed workspace', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ env: { UNCONFIRMED_IMPORT_LIMIT: String(LIMIT) } });
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Signs up without following the mailed link, and signs in with the password. */
  async function unconfirmedOwner() {
    const email = `${unique('owner-')}@example.fi`;
    await api.http
      .post('/api/v1/workspaces')
      .send({ workspaceName: unique('Unconfirmed '), email, name: 'Owner', password: PASSWORD })
      .expect(202);
    const login = await api.http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
    const token = login.body.accessToken as string;
    const me = await api.http.get('/api/v1/auth/me').set(bearer(token)).expect(200);
    expect(me.body.mailHeld).toBe(true);
    const organization = await createOrganization(api.http, token, { defaultLocale: 'fi' });
    const rollout = await createRollout(api.http, token, organization.id);
    const pilot = await createPilot(api.http, token, rollout.id);
    return { email, token, workspaceId: me.body.workspaceId as string, pilotId: pilot.id };
  }

  const participantsOf = async (workspaceId: string) =>
    Number(
      (await api.db.query(`SELECT count(*) FROM participant WHERE workspace_id = $1`, [workspaceId]))[0]
        .count,
    );

  const expectRefusal = (body: Record<string, unknown>, field: string) => {
    expect(body).toMatchObject({ status: 422, limit: LIMIT, errors: [{ field }] });
    expect(String(body.detail)).toMatch(/^Confirm the workspace's sign-up address first/);
    expect(String(body.detail)).toContain(`at most ${LIMIT} participants`);
  };

  it('refuses a CSV and a workbook over the limit whole, storing nothing', async () => {
    const owner = await unconfirmedOwner();
    const auth = bearer(owner.token);
    const csv = await api.http
      .post(`/api/v1/pilots/${owner.pilotId}/participants/import`)
      .set(auth)
      .set('Content-Type', 'text/csv')
      .send(csvOf(0, LIMIT + 1, 'csv.example'))
      .expect(422)
      .expect('Content-Type', /application\/problem\+json/);
    expectRefusal(csv.body, 'file');
    expect(csv.body.errors[0].reason).toBe(
      "has 6 participants; at most 5 until the workspace's sign-up address is confirmed",
    );

    const people = fortyPeople('xlsx.example').slice(0, LIMIT + 1);
    const xlsx = await api.http
      .post(`/api/v1/pilots/${owner.pilotId}/participants/import`)
      .set(auth)
      .set('Content-Type', XLSX)
      .send(await peopleWorkbook(people))
      .expect(422);
    expectRefusal(xlsx.body, 'file');
    expect(await participantsOf(owner.workspaceId)).toBe(0);
  });

  it('counts what the workspace has: the total stops at the limit, known people do not count twice', async () => {
    const owner = await unconfirmedOwner();
    const auth = bearer(owner.token);
    const importCsv = (bytes: Buffer) =>
      api.http
        .post(`/api/v1/pilots/${owner.pilotId}/participants/import`)
        .set(auth)
        .set('Content-Type', 'text/csv')
        .send(bytes);

    // 3 people, then 3 more (6 in all): the second file is refused whole.
    await importCsv(csvOf(0, 3, 'total.example'))
      .expect(200)
      .expect((r) => expect(r.body).toMatchObject({ rows: 3, created: 3 }));
    const over = await importCsv(csvOf(3, 6, 'total.example')).expect(422);
    expectRefusal(over.body, 'file');
    expect(over.body.errors[0].reason).toBe(
      'would bring the workspace to 6 participants (it has 3); at most 5 until its sign-up address is confirmed',
    );
    expect(await participantsOf(owner.workspaceId)).toBe(3);

    // The first three again with two new ones: 5 in all, which the limit allows.
    await importCsv(csvOf(0, 5, 'total.example'))
      .expect(200)
      .expect((r) => expect(r.body).toMatchObject({ rows: 5, created: 2, alreadyInPilot: 3 }));
    expect(await participantsOf(owner.workspaceId)).toBe(5);

    // The JSON route: a sixth person is refused naming `email`; one already there may be added again.
    const sixth = await api.http
      .post(`/api/v1/pilots/${owner.pilotId}/participants`)
      .set(auth)
      .send({ email: 'sixth@total.example', name: 'Sixth Person', level: 'staff' })
      .expect(422);
    expectRefusal(sixth.body, 'email');
    const other = await createPilot(
      api.http,
      owner.token,
      (await createRollout(api.http, owner.token, (await createOrganization(api.http, owner.token)).id)).id,
    );
    await api.http
      .post(`/api/v1/pilots/${other.id}/participants`)
      .set(auth)
      .send({ email: 'person0@total.example', name: 'Aino Virtanen', level: 'staff' })
      .expect(201);
    expect(await participantsOf(owner.workspaceId)).toBe(5);

    // Confirmed, the same refused file goes in.
    const token = await api.app.get(WorkspaceService).issueConfirmation(owner.email);
    await api.http.post('/api/v1/auth/confirmations').send({ token }).expect(200);
    await importCsv(csvOf(0, 8, 'total.example'))
      .expect(200)
      .expect((r) => expect(r.body).toMatchObject({ rows: 8, created: 3 }));
    await api.http
      .post(`/api/v1/pilots/${owner.pilotId}/participants`)
      .set(auth)
      .send({ email: 'sixth@total.example', name: 'Sixth Person', level: 'staff' })
      .expect(201);
    expect(await participantsOf(owner.workspaceId)).toBe(9);
  });

  it('two imports at once cannot both pass the limit', async () => {
    const owner = await unconfirmedOwner();
    const send = (from: number, to: number) =>
      api.http
        .post(`/api/v1/pilots/${owner.pilotId}/participants/import`)
        .set(bearer(owner.token))
        .set('Content-Type', 'text/csv')
        .send(csvOf(from, to, 'race.example'));
    const answers = await Promise.all([send(0, 3), send(3, 6)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
    expect(await participantsOf(owner.workspaceId)).toBe(3);
  });

  it("the console refuses the file at its check, in the coach's language, and links to the account page", async () => {
    const owner = await unconfirmedOwner();
    const client = new ConsoleClient(api);
    expect((await client.signIn(owner.email)).status).toBe(303);
    expect((await client.submit('/app', { locale: 'fi', next: '/app' }, '/app/language')).status).toBe(303);
    const form = await client.get(`/app/pilots/${owner.pilotId}/participants/import`).expect(200);
    const page = await client.agent
      .post(`/app/pilots/${owner.pilotId}/participants/import`)
      .field('_csrf', csrfOf(form.text))
      .attach('file', csvOf(0, LIMIT + 1, 'console.example'), {
        filename: 'osallistujat.csv',
        contentType: 'text/csv',
      })
      .expect(422);
    expect(page.text).toContain(
      'Ennen kuin työtilan rekisteröitymisosoite on vahvistettu, siinä voi olla enintään 5 osallistujaa.',
    );
    expect(page.text).toContain('<a href="/app/account">');
    expect(page.text).not.toContain('Tallenna tiedosto'); // no "save as" hint: the file itself is fine
    expect(await participantsOf(owner.workspaceId)).toBe(0);
  });
});
