import { ManualClock } from '@luotsi/domain';
import { startApi, TestApi } from './support/api';
import { ConsoleClient, csrfOf } from './support/console';
import {
  addMember,
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  unique,
  type Workspace,
} from './support/fixtures';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const idFrom = (location: string, prefix: string) => {
  const match = new RegExp(`^${prefix}/(${UUID})$`).exec(location);
  if (!match) throw new Error(`${location} is not under ${prefix}`);
  return match[1];
};

/**
 * Setting up a client through the console: organization → rollout → pilot by the forms, stored exactly
 * as the API would store them; invalid forms store nothing; sponsors only read what is granted to them;
 * another workspace's ids are not found.
 */
/** Posts a console form and checks the answer's status. */
async function submit(
  client: ConsoleClient,
  status: number,
  page: string,
  fields: Record<string, string | string[]>,
  action?: string,
) {
  const res = await client.submit(page, fields, action);
  if (res.status !== status)
    throw new Error(`${action ?? page} answered ${res.status}, not ${status}: ${res.text.slice(0, 600)}`);
  return res;
}

describe('console set-up pages', () => {
  let api: TestApi;
  // The middle of Q1/2027 in Helsinki: the start-quarter select offers 2027-Q1 … 2028-Q2.
  const clock = new ManualClock(new Date('2027-02-10T10:00:00Z'));

  beforeAll(async () => {
    api = await startApi({ clock });
  });
  afterAll(() => api.close());

  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    Number((await api.db.query(`SELECT count(*) FROM ${table} WHERE ${where}`, params))[0].count);

  async function coachOf(owner: Workspace) {
    const coach = await addMember(api.http, owner, 'coach');
    const client = new ConsoleClient(api);
    expect((await client.signIn(coach.email)).status).toBe(303);
    return { ...coach, client };
  }

  it('sets up an organization, a rollout and a pilot through the forms, stored as the API stores them', async () => {
    const owner = await signUp(api.http);
    const coach = await coachOf(owner);
    const { client } = coach;
    const auth = bearer(coach.token);

    const list = await client.get('/app/organizations').expect(200);
    expect(list.text).toContain('href="/app/organizations/new"');

    const name = unique('Espoon kaupunki ');
    const created = await submit(client, 303, '/app/organizations/new', {
      name,
      sector: 'public',
      headcount: '14500',
      defaultLocale: 'sv',
      timeZone: 'Europe/Stockholm',
    });
    const organizationId = idFrom(created.headers.location, '/app/organizations');
    const organization = (await api.http.get(`/api/v1/organizations/${organizationId}`).set(auth).expect(200))
      .body;
    expect(organization).toMatchObject({
      name,
      sector: 'public',
      headcount: 14500,
      defaultLocale: 'sv',
      timeZone: 'Europe/Stockholm',
    });
    expect((await client.get('/app/organizations').expect(200)).text).toContain(
      `href="/app/organizations/${organizationId}"`,
    );

    // Editing keeps every field on the form.
    const edited = await submit(client, 303, `/app/organizations/${organizationId}/edit`, {
      name,
      sector: 'public',
      headcount: '15000',
      defaultLocale: 'fi',
      timeZone: 'Europe/Helsinki',
    });
    expect(edited.headers.location).toBe(`/app/organizations/${organizationId}`);
    expect(
      (await api.http.get(`/api/v1/organizations/${organizationId}`).set(auth).expect(200)).body,
    ).toMatchObject({ headcount: 15000, defaultLocale: 'fi', timeZone: 'Europe/Helsinki' });

    const page = await client.get(`/app/organizations/${organizationId}`).expect(200);
    expect(page.text).toContain(`href="/app/organizations/${organizationId}/rollouts/new"`);
    expect(page.text).toContain(`href="/app/organizations/${organizationId}/edit"`);

    const rolloutForm = await client.get(`/app/organizations/${organizationId}/rollouts/new`).expect(200);
    expect(rolloutForm.text).toContain('value="15000"'); // the organization's headcount as the target
    const rolled = await submit(client, 303, `/app/organizations/${organizationId}/rollouts/new`, {
      goal: 'Jokainen yksikkö suunnittelee neljänneksensä OKR:illä',
      targetHeadcount: '12000',
      plannedWaves: '3',
    });
    const rolloutId = idFrom(rolled.headers.location, '/app/rollouts');
    expect((await api.http.get(`/api/v1/rollouts/${rolloutId}`).set(auth).expect(200)).body).toMatchObject({
      organizationId,
      goal: 'Jokainen yksikkö suunnittelee neljänneksensä OKR:illä',
      targetHeadcount: 12000,
      plannedWaves: 3,
      status: 'planning',
    });

    // An empty rollout: the task list shows the first pilot still to do and the later steps waiting.
    const empty = await client.get(`/app/rollouts/${rolloutId}`).expect(200);
    expect(empty.text).toContain('class="task-list"');
    expect(empty.text).toContain(`href="/app/rollouts/${rolloutId}/pilots/new"`);
    expect(empty.text).toContain(`href="/app/rollouts/${rolloutId}/cadence"`);
    expect(empty.text).toContain(`href="/app/rollouts/${rolloutId}/readiness"`);
    expect(empty.text).not.toContain('/participants"');

    const pilotForm = await client.get(`/app/rollouts/${rolloutId}/pilots/new`).expect(200);
    const quarters = [...pilotForm.text.matchAll(/<option value="(\d{4}-Q\d)"( selected)?>([^<]*)</g)];
    expect(quarters.map((q) => q[1])).toEqual([
      '2027-Q1',
      '2027-Q2',
      '2027-Q3',
      '2027-Q4',
      '2028-Q1',
      '2028-Q2',
    ]);
    expect(quarters.find((q) => q[2])?.[1]).toBe('2027-Q2');
    expect(pilotForm.text).toContain(`<option value="${coach.id}" selected>`);
    expect(pilotForm.text).toContain(`<option value="${owner.ownerId}">`);

    // One checked box posts a single string.
    const piloted = await submit(client, 303, `/app/rollouts/${rolloutId}/pilots/new`, {
      name: 'Hallituspilotti',
      levels: 'board',
      waveNumber: '1',
      startQuarter: '2027-Q2',
      quarterCount: '2',
      coachId: coach.id,
      scope: 'Hallituksen strategiatyö',
      successCriteria: '75 % tekee viikoittaisen check-inin',
      decisionDate: '2027-12-15',
    });
    const pilotId = idFrom(piloted.headers.location, '/app/pilots');
    expect((await api.http.get(`/api/v1/pilots/${pilotId}`).set(auth).expect(200)).body).toMatchObject({
      rolloutId,
      organizationId,
      name: 'Hallituspilotti',
      levels: ['board'],
      waveNumber: 1,
      startQuarter: '2027-Q2',
      quarterCount: 2,
      coachId: coach.id,
      state: 'planned',
      charter: {
        scope: 'Hallituksen strategiatyö',
        successCriteria: '75 % tekee viikoittaisen check-inin',
        decisionDate: '2027-12-15',
      },
    });
    expect(await count('quarter', 'pilot_id = $1', [pilotId])).toBe(2);

    // Several checked boxes post an array; an empty charter and no coach are fine.
    const second = await submit(client, 303, `/app/rollouts/${rolloutId}/pilots/new`, {
      name: 'Asiakaspalvelu',
      levels: ['management', 'staff'],
      waveNumber: '2',
      startQuarter: '2027-Q3',
      quarterCount: '',
      coachId: '',
      scope: '',
      successCriteria: '',
      decisionDate: '',
    });
    const secondId = idFrom(second.headers.location, '/app/pilots');
    expect((await api.http.get(`/api/v1/pilots/${secondId}`).set(auth).expect(200)).body).toMatchObject({
      levels: ['management', 'staff'],
      waveNumber: 2,
      quarterCount: 4,
      coachId: null,
      charter: { scope: '', successCriteria: '', decisionDate: null },
    });

    // The organization lists its rollout and pilots; the rollout its pilots and the next steps.
    const withPilots = await client.get(`/app/organizations/${organizationId}`).expect(200);
    for (const path of [
      '/app/organizations',
      '/app/organizations/new',
      `/app/organizations/${organizationId}`,
      `/app/organizations/${organizationId}/edit`,
      `/app/organizations/${organizationId}/rollouts/new`,
      `/app/rollouts/${rolloutId}`,
      `/app/rollouts/${rolloutId}/pilots/new`,
    ])
      expect((await client.get(path).expect(200)).text).not.toMatch(/setup:|common:|console:/);
    expect(withPilots.text).toContain(`href="/app/rollouts/${rolloutId}"`);
    expect(withPilots.text).toContain(`href="/app/pilots/${pilotId}">Hallituspilotti</a>`);
    expect(withPilots.text).toContain(`href="/app/pilots/${secondId}">Asiakaspalvelu</a>`);
    const steps = async () => {
      const html = (await client.get(`/app/rollouts/${rolloutId}`).expect(200)).text;
      const list = /<ol class="task-list">([\s\S]*?)<\/ol>/.exec(html)?.[1];
      return list
        ? [
            ...list.matchAll(
              /<li>\s*<span>(?:<a href="([^"]*)">)?[^<]*(?:<\/a>)?<\/span>\s*<strong class="tag([^"]*)"/g,
            ),
          ].map((m) => [m[1] ?? '', m[2].trim()])
        : null;
    };
    expect(await steps()).toEqual([
      ['', 'tag--ok'],
      ['', 'tag--ok'],
      [`/app/pilots/${pilotId}`, 'tag--ok'],
      [`/app/pilots/${pilotId}/participants`, 'tag--warn'],
      [`/app/rollouts/${rolloutId}/cadence`, ''],
      [`/app/pilots/${pilotId}/start`, ''],
    ]);
    await api.http
      .post(`/api/v1/pilots/${pilotId}/participants`)
      .set(auth)
      .send({ email: 'hilkka@example.fi', name: 'Hilkka', level: 'board', locale: 'fi' })
      .expect(201);
    expect((await steps())![3]).toEqual([`/app/pilots/${pilotId}/participants`, 'tag--ok']);
    // Once a pilot runs, set-up is over and the list goes.
    await api.http.post(`/api/v1/pilots/${pilotId}/start`).set(auth).expect(200);
    expect(await steps()).toBeNull();
  });

  it('re-renders an invalid form with 422 and an error summary linking to each field, storing nothing', async () => {
    const owner = await signUp(api.http);
    const { client } = await coachOf(owner);
    const organization = await createOrganization(api.http, owner.token);
    const rollout = await createRollout(api.http, owner.token, organization.id);

    const res = await submit(client, 422, `/app/rollouts/${rollout.id}/pilots/new`, {
      name: 'Ei tasoja',
      waveNumber: '1',
      startQuarter: '2027-Q2',
      quarterCount: '0',
    });
    expect(res.text).toContain("class='error-summary'");
    expect(res.text).toContain("href='#field-levels'");
    expect(res.text).toContain("href='#field-quarterCount'");
    expect(res.text).toContain('id="field-levels"');
    expect(res.text).toContain('id="field-quarterCount"');
    expect(res.text).toContain('value="Ei tasoja"'); // what was typed survives
    expect(res.text).toMatch(
      /Choose at least one level in the pilot|Valitse pilottiin vähintään yksi taso|Välj minst en nivå i piloten/,
    );
    expect(res.text).not.toMatch(/setup:|common:/); // no text is missing from the catalogue
    expect(await count('pilot', 'rollout_id = $1', [rollout.id])).toBe(0);

    const badQuarter = await submit(client, 422, `/app/rollouts/${rollout.id}/pilots/new`, {
      name: 'Väärä neljännes',
      levels: 'board',
      waveNumber: 'yksi',
      startQuarter: '2027-5',
      quarterCount: '4',
    });
    expect(badQuarter.text).toContain("href='#field-startQuarter'");
    expect(badQuarter.text).toContain("href='#field-waveNumber'");
    expect(await count('pilot', 'rollout_id = $1', [rollout.id])).toBe(0);

    // A complete rollout takes no new pilots: the domain's refusal comes back on the form.
    const done = await createRollout(api.http, owner.token, organization.id);
    await api.http
      .patch(`/api/v1/rollouts/${done.id}`)
      .set(bearer(owner.token))
      .send({ status: 'complete' })
      .expect(200);
    const refused = await submit(client, 422, `/app/rollouts/${done.id}/pilots/new`, {
      name: 'Myöhässä',
      levels: 'staff',
      waveNumber: '1',
      startQuarter: '2027-Q2',
    });
    expect(refused.text).toMatch(/class='error-summary'[\s\S]*(complete|päättynyt|avslutat)/);
    expect(await count('pilot', 'rollout_id = $1', [done.id])).toBe(0);

    const organizations = await count('organization', 'workspace_id = $1', [owner.id]);
    const noName = await submit(client, 422, '/app/organizations/new', {
      name: ' ',
      sector: 'guild',
      headcount: '0',
      timeZone: 'Mars/Base',
    });
    for (const field of ['name', 'sector', 'headcount'])
      expect(noName.text).toContain(`href='#field-${field}'`);
    expect(await count('organization', 'workspace_id = $1', [owner.id])).toBe(organizations);
    // The domain refuses a time zone the DTO lets through; the form says so beside the field.
    const zone = await submit(client, 422, '/app/organizations/new', {
      name: 'Vyöhyke',
      sector: 'company',
      headcount: '10',
      timeZone: 'Mars/Base',
    });
    expect(zone.text).toContain("href='#field-timeZone'");
    expect(await count('organization', 'workspace_id = $1', [owner.id])).toBe(organizations);

    const noGoal = await submit(client, 422, `/app/organizations/${organization.id}/rollouts/new`, {
      goal: '',
      targetHeadcount: '100',
      plannedWaves: '21',
    });
    expect(noGoal.text).toContain("href='#field-goal'");
    expect(noGoal.text).toContain("href='#field-plannedWaves'");
    expect(await count('rollout', 'organization_id = $1', [organization.id])).toBe(2);
  });

  it('lets a sponsor see only granted organizations and change nothing', async () => {
    const owner = await signUp(api.http);
    const granted = await createOrganization(api.http, owner.token, { name: unique('Granted ') });
    const hidden = await createOrganization(api.http, owner.token, { name: unique('Hidden ') });
    const rollout = await createRollout(api.http, owner.token, granted.id);
    await createPilot(api.http, owner.token, rollout.id, { name: 'Näkyvä pilotti' });
    const hiddenRollout = await createRollout(api.http, owner.token, hidden.id);
    const sponsor = await addMember(api.http, owner, 'sponsor', [granted.id]);
    const client = new ConsoleClient(api);
    expect((await client.signIn(sponsor.email)).status).toBe(303);

    const list = await client.get('/app/organizations').expect(200);
    expect(list.text).toContain(granted.name);
    expect(list.text).not.toContain(hidden.name);
    expect(list.text).not.toContain('href="/app/organizations/new"');

    const page = await client.get(`/app/organizations/${granted.id}`).expect(200);
    expect(page.text).toContain('Näkyvä pilotti');
    expect(page.text).not.toContain('/rollouts/new"');
    expect(page.text).not.toContain('/edit"');
    const rolloutPage = await client.get(`/app/rollouts/${rollout.id}`).expect(200);
    expect(rolloutPage.text).not.toContain('/pilots/new"');

    const before = await count('organization', 'workspace_id = $1', [owner.id]);
    await client.get('/app/organizations/new').expect(403);
    await submit(
      client,
      403,
      '/app/organizations',
      { name: 'Sponsor Oy', sector: 'company', headcount: '5' },
      '/app/organizations/new',
    );
    await submit(
      client,
      403,
      '/app/organizations',
      { goal: 'x', targetHeadcount: '5', plannedWaves: '1' },
      `/app/organizations/${granted.id}/rollouts/new`,
    );
    expect(await count('organization', 'workspace_id = $1', [owner.id])).toBe(before);
    expect(await count('rollout', 'organization_id = $1', [granted.id])).toBe(1);

    await client.get(`/app/organizations/${hidden.id}`).expect(404);
    await client.get(`/app/rollouts/${hiddenRollout.id}`).expect(404);
  });

  it("answers 404 to a coach of another workspace on every set-up page with the first one's ids", async () => {
    const owner = await signUp(api.http);
    const organization = await createOrganization(api.http, owner.token);
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const other = await coachOf(await signUp(api.http));

    for (const path of [
      `/app/organizations/${organization.id}`,
      `/app/organizations/${organization.id}/edit`,
      `/app/organizations/${organization.id}/rollouts/new`,
      `/app/rollouts/${rollout.id}`,
      `/app/rollouts/${rollout.id}/pilots/new`,
      '/app/organizations/not-a-uuid',
      '/app/rollouts/not-a-uuid',
    ])
      await other.client.get(path).expect(404);

    const token = csrfOf((await other.client.get('/app/organizations').expect(200)).text);
    const post = (path: string, fields: Record<string, string | string[]>) =>
      other.client.agent
        .post(path)
        .type('form')
        .send({ ...fields, _csrf: token });
    await post(`/app/organizations/${organization.id}/edit`, {
      name: 'Kaapattu',
      sector: 'company',
      headcount: '1',
    }).expect(404);
    await post(`/app/organizations/${organization.id}/rollouts/new`, {
      goal: 'Kaapattu',
      targetHeadcount: '1',
      plannedWaves: '1',
    }).expect(404);
    await post(`/app/rollouts/${rollout.id}/pilots/new`, {
      name: 'Kaapattu',
      levels: 'board',
      waveNumber: '1',
      startQuarter: '2027-Q2',
    }).expect(404);
    expect(await count('organization', 'id = $1 AND name = $2', [organization.id, 'Kaapattu'])).toBe(0);
    expect(await count('rollout', 'organization_id = $1', [organization.id])).toBe(1);
    expect(await count('pilot', 'rollout_id = $1', [rollout.id])).toBe(0);
    // Their own list does not show the first workspace's organization.
    expect((await other.client.get('/app/organizations').expect(200)).text).not.toContain(organization.name);
  });
});
