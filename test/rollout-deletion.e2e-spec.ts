import { startApi, TestApi } from './support/api';
import {
  bearer,
  createOrganization,
  createPilot,
  createRollout,
  signUp,
  Workspace,
} from './support/fixtures';

/** What hangs on a record keeps it: an organization with rollouts, a rollout with pilots. */
describe('deleting organizations and rollouts', () => {
  let api: TestApi;
  let owner: Workspace;

  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http);
  });
  afterAll(() => api.close());

  it('refuses a rollout with pilots and an organization with rollouts, then deletes them once empty', async () => {
    const auth = bearer(owner.token);
    const organization = await createOrganization(api.http, owner.token);
    const rollout = await createRollout(api.http, owner.token, organization.id);
    const pilot = await createPilot(api.http, owner.token, rollout.id);

    const withPilots = await api.http.delete(`/api/v1/rollouts/${rollout.id}`).set(auth).expect(409);
    expect(withPilots.body.detail).toBe('The rollout has 1 pilot(s); delete those first.');
    const withRollouts = await api.http
      .delete(`/api/v1/organizations/${organization.id}`)
      .set(auth)
      .expect(409);
    expect(withRollouts.body.detail).toBe('The organization has 1 rollout(s); delete those first.');

    await api.http.delete(`/api/v1/pilots/${pilot.id}`).set(auth).expect(204);
    await api.http.delete(`/api/v1/rollouts/${rollout.id}`).set(auth).expect(204);
    await api.http.get(`/api/v1/rollouts/${rollout.id}`).set(auth).expect(404);
    await api.http.delete(`/api/v1/organizations/${organization.id}`).set(auth).expect(204);
  });
});
